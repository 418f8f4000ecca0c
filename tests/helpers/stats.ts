/** Calling the stats function as the demo people, for the command center's tests. */
import type { Result } from '../../typings/errors';
import type { StatsApi } from '../../typings/stats';
import type { TestCloud } from './localcloud';

export type StatsReq<A extends keyof StatsApi> = { action: A } & StatsApi[A]['req'];

export function statsClient(cloud: TestCloud) {
  const call = <A extends keyof StatsApi>(openid: string | undefined, event: StatsReq<A>) =>
    cloud.call<Result<StatsApi[A]['res']>>('stats', event, openid);
  const ok = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
    return r.data;
  };
  return {
    call,
    ok,
    overview: (openid: string, req: StatsApi['overview']['req'] = {}) =>
      ok(call(openid, { action: 'overview', ...req })),
    publicFigures: () => ok(call(undefined, { action: 'public' } as unknown as StatsReq<'public'>)),
  };
}
