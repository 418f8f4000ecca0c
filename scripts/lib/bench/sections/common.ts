/** What the sections share: repeated measured calls, the first (cold) call of a function, the check-in sections' activity. */
import type { BenchCloud, CallCost } from '../cloud';
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import { county, volunteers } from '../data';

/** Measures `n` calls, `call(i)` for i = 0…n-1, one at a time. */
export async function sample(bench: BenchCloud, n: number, call: (i: number) => Promise<unknown>): Promise<CallCost[]> {
  const costs: CallCost[] = [];
  for (let i = 0; i < n; i++) costs.push(await bench.measure(() => call(i)));
  return costs;
}

export const fmt = (n: number) => n.toLocaleString('en-US');

/** Seconds, for setup lines. */
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The point the check-in sections hold their activity at (凤山村's first), and its organiser. */
export const ACTIVITY_POINT = 'haian-01-001-01';
export const ACTIVITY_HEAD = 'demo-station-head';

/**
 * A three-hour county event at 凤山村's first point starting ten minutes after the cloud's clock, with
 * `people` generated volunteers signed up (inserted through the engine): what the check-in sections scan.
 */
export async function signedUpActivity(
  bench: BenchCloud,
  people: number,
  seed: number,
): Promise<{
  id: string;
  start: number;
  vols: { openid: string; name: string }[];
  signupMs: number;
  here: { lat: number; lng: number };
}> {
  const MIN = 60_000;
  const network = bench.engine.find('orgs', { query: {}, limit: 100_000 }) as unknown as OrgDoc[];
  const start = Math.ceil(bench.cloud.clock.now() / MIN) * MIN + 10 * MIN;
  const { id } = await bench.call<{ id: string }>(
    'activity',
    {
      action: 'create',
      pointId: ACTIVITY_POINT,
      title: '全县志愿服务集中行动',
      category: 'charity',
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + 3 * 60 * MIN).toISOString(),
      capacity: people,
      signupRequired: true,
    },
    ACTIVITY_HEAD,
  );
  const vols = volunteers(county(network), people, new Date(start), seed);
  const signupMs = bench.insert(
    'signups',
    vols.map((v) => ({
      _id: `${id}:${v.openid}`,
      activityId: id,
      openid: v.openid,
      status: 'signed',
      name: v.name,
      at: new Date(),
    })),
  );
  const point = network.find((o) => o._id === ACTIVITY_POINT)!;
  return { id, start, vols, signupMs, here: { lat: point.lat ?? 0, lng: point.lng ?? 0 } };
}
