/** GET /: says what this is (and is not), with the functions and collections it serves. */
import type { Engine } from '../db/engine';
import type { FunctionPool } from '../functions/pool';
import type { Route } from './http';

export function homeRoute(env: string, pool: FunctionPool, engine: Engine): Route {
  return async ({ res, url, method }) => {
    if (url.pathname !== '/' || method !== 'GET') return false;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      `文明实践云 · local cloud (env ${env})\n` +
        'A development stand-in for CloudBase. Not for production: identity here is whatever the x-wx-openid header says.\n' +
        `functions: ${pool.list().join(', ')}\ncollections: ${engine.collections().join(', ')}\n`,
    );
    return true;
  };
}
