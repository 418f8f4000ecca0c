export * from './errors';
export * from './domain';
export * from './api';
export * from './order';
export * from './time';
export * from './activity';
export * from './integral';
export * from './stats';
