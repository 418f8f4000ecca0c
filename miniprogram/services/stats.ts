/** Client of the `stats` cloud function: the command center's figures and the county's assessment. */
import type { StatsApi } from '../contract/stats';
import type { Result } from '../contract/errors';
import { call } from './transport';

type Res<A extends keyof StatsApi> = Promise<Result<StatsApi[A]['res']>>;

/** Figures of a node in the caller's scope (default: the caller's own node) and of each child. */
export function overview(req: StatsApi['overview']['req']): Res<'overview'> {
  return call('stats', 'overview', req);
}

/** The league table of the node's institutes or stations. */
export function assessment(req: StatsApi['assessment']['req']): Res<'assessment'> {
  return call('stats', 'assessment', req);
}
