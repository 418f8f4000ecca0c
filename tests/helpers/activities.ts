/** Driving the activity function as test people: typed calls, a ready activity, its current code. */
import type { ActivityApi } from '../../typings/activity';
import type { Result } from '../../typings/errors';
import type { TestCloud } from './localcloud';

export type ActivityReq<A extends keyof ActivityApi> = { action: A } & ActivityApi[A]['req'];

export const DEMO_POINT = 'haian-01-001-01';
export const HEAD = 'demo-station-head';
export const VOLUNTEER = 'demo-volunteer';
const MIN = 60_000;

export function activityClient(cloud: TestCloud) {
  let seq = 0;
  const call = <A extends keyof ActivityApi>(openid: string, event: ActivityReq<A>) =>
    cloud.call<Result<ActivityApi[A]['res']>>('activity', event, openid);
  const ok = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
    return r.data;
  };
  return {
    call,
    ok,
    /** An activity at the demo point starting `startsInMin` after `now`, lasting two hours. */
    async create(now: Date, over: Partial<ActivityApi['create']['req']> = {}, startsInMin = 120): Promise<string> {
      seq += 1;
      const start = new Date(now.getTime() + startsInMin * MIN);
      const r = await ok(
        call(HEAD, {
          action: 'create',
          pointId: DEMO_POINT,
          title: `健康义诊${seq}`,
          category: 'health',
          startAt: start.toISOString(),
          endAt: new Date(start.getTime() + 120 * MIN).toISOString(),
          capacity: 10,
          signupRequired: true,
          ...over,
        }),
      );
      return r.id;
    },
    async scene(id: string): Promise<string> {
      return (await ok(call(HEAD, { action: 'code', id }))).scene;
    },
    scan(openid: string, scene: string, more: Omit<ActivityApi['scan']['req'], 'scene'> = {}) {
      return call(openid, { action: 'scan', scene, ...more });
    },
  };
}

export const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * MIN).toISOString();
