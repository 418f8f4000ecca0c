/** Driving moral integral through the real integral function as the demo people, for the story tests. */
import type { Result } from '../../typings/errors';
import type { IntegralApi } from '../../typings/integral';
import type { TestCloud } from './localcloud';

export type IntegralReq<A extends keyof IntegralApi> = { action: A } & IntegralApi[A]['req'];

export const STATION = 'haian-01-001';
export const HEAD = 'demo-station-head';
export const VILLAGER = 'demo-villager';
export const HOUSEHOLD = '10000001';
/** Heads of households of 凤山村 in the demo seed. */
export const NEIGHBOUR = 'demo-vil-1-1';
export const NEIGHBOUR_HOUSEHOLD = '20000001';

export function integralClient(cloud: TestCloud) {
  let seq = 0;
  const call = <A extends keyof IntegralApi>(openid: string, event: IntegralReq<A>) =>
    cloud.call<Result<IntegralApi[A]['res']>>('integral', event, openid);
  const ok = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
    return r.data;
  };
  const code = async (p: Promise<Result<unknown>>) => {
    const r = await p;
    return r.ok ? 'ok' : r.error.code;
  };
  const requestId = () => `rq-${Date.now().toString(36)}-${(seq += 1)}`;
  return {
    call,
    ok,
    code,
    requestId,
    balance: async (openid: string, householdId?: string) =>
      (await ok(call(openid, { action: 'balance', ...(householdId ? { householdId } : {}) }))).balance,
    /** A station head's award (or deduction) for a household, under a rule. */
    award: (householdId: string, ruleId: string, by = HEAD) =>
      call(by, {
        action: 'award',
        householdId,
        ruleId,
        note: '经村民小组核实，情况属实，予以评定',
        requestId: requestId(),
      }),
    /** A new item of the demo station with this stock. */
    async item(points: number, stock: number, name = '测试商品'): Promise<string> {
      const r = await ok(
        call(HEAD, { action: 'saveItem', stationId: STATION, name, points, addStock: stock, pickupPlace: '村委会' }),
      );
      return r.id;
    },
    /**
     * Runs the timer as the platform does, run after run until one posts and releases nothing: a run
     * spends a budget of database operations, so a long notice board takes more than one. Answers the
     * first run's answer with the integral counts of all the runs.
     */
    async tick(): Promise<Result<{ integral: { posted: number; expired: number } }>> {
      type Tick = Result<{ integral: { posted: number; expired: number } }>;
      const first = await cloud.call<Tick>('cron', { budgetMs: 20_000 });
      if (!first.ok) return first;
      const total = { ...first.data.integral };
      let done = first.data.integral;
      while (done.posted + done.expired > 0) {
        const next = await cloud.call<Tick>('cron', { budgetMs: 20_000 });
        if (!next.ok) return next;
        done = next.data.integral;
        total.posted += done.posted;
        total.expired += done.expired;
      }
      return { ok: true, data: { ...first.data, integral: total } };
    },
    /** Every household's cached balance against the sum of its entries, read straight from the database. */
    audit() {
      const sums = new Map<string, number>();
      for (const e of cloud.engine.find('integralLedger', { query: {} }))
        sums.set(e.householdId as string, (sums.get(e.householdId as string) ?? 0) + (e.points as number));
      const cached = new Map(
        cloud.engine.find('integralBalances', { query: {} }).map((b) => [b._id as string, b.balance as number]),
      );
      return { sums, cached };
    },
  };
}

/** Makes `openids` (already users) the members of a new household of `stationId`, with no points yet. */
export function newHousehold(cloud: TestCloud, householdId: string, stationId: string, openids: string[]): void {
  for (const openid of openids) {
    const [u] = cloud.engine.find('users', { query: { _id: openid } });
    cloud.engine.remove('users', { _id: openid }, false);
    cloud.engine.insert('users', [{ ...u, householdId, stationId }]);
  }
  cloud.engine.insert('households', [
    {
      _id: householdId,
      stationId,
      headOpenid: openids[0],
      headName: '测试户',
      members: openids.map((openid) => ({ openid, name: '测试户' })),
      createdAt: new Date(),
      updatedAt: new Date(),
    },
  ]);
}

/** Rules whose points add up to exactly 100 (each within its monthly cap, none above the second-approval line). */
export const HUNDRED = [
  'customs-simple-wedding',
  'customs-simple-funeral',
  'filial-family',
  'diligence-lead',
  'vol-blood',
  'diligence-student',
  'customs-civil-burial',
];
