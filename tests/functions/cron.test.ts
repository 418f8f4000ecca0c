/**
 * The timer (cron) end to end: orders made through the order function as the demo people, the local
 * cloud's clock moved past their deadlines, the real cron function run as the platform runs it. Each
 * story has a local cloud of its own, so one story's orders never fall due in another's runs.
 */
import type { Message, Order, OrderApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { DEFAULT_ORDER_SETTINGS, type OrderSettings } from '../../typings/order';
import type { CronSummary } from '../../cloudfunctions/cron/index';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

// Each run over the demo county now also posts its integral records past notice: more than the
// default 30 s a story on a shared machine.
jest.setTimeout(120_000);

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Monday 2 March 2026, 09:00 in Shanghai: the stories start here. */
const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

const STATION = 'haian-01-001';
const INSTITUTE = 'haian-01';
const CENTER = 'haian';

type Req<A extends keyof OrderApi> = { action: A } & OrderApi[A]['req'];

function client(cloud: TestCloud) {
  let seq = 0;
  const call = <A extends keyof OrderApi>(openid: string, event: Req<A>) =>
    cloud.call<Result<OrderApi[A]['res']>>('order', event, openid);
  const ok = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
    return r.data;
  };
  const c = {
    call,
    ok,
    async post(): Promise<string> {
      seq += 1;
      const r = await ok(
        call('demo-villager', {
          action: 'create',
          kind: 'wish',
          category: 'health',
          title: `帮忙量血压${seq}`,
          content: '家里老人血压高，想请志愿者上门量一量。',
          requestId: `cron-${seq}-${Math.random().toString(36).slice(2, 10)}`,
          acknowledgeSimilar: true,
        }),
      );
      return r.id;
    },
    review: (id: string) => ok(call('demo-station-head', { action: 'review', id, approve: true })),
    dispatch: (id: string, volunteer = 'demo-volunteer') =>
      ok(call('demo-station-head', { action: 'dispatch', id, volunteer })),
    accept: (id: string, volunteer = 'demo-volunteer') => ok(call(volunteer, { action: 'accept', id })),
    fulfil: (id: string, volunteer = 'demo-volunteer') =>
      ok(call(volunteer, { action: 'fulfil', id, note: '已经上门量过血压，一切正常。' })),
    get: (id: string, openid = 'demo-station-head'): Promise<Order> => ok(call(openid, { action: 'get', id })),
    async messages(openid: string): Promise<Message[]> {
      return (await ok(call(openid, { action: 'messages' }))).messages;
    },
    async setSettings(settings: OrderSettings): Promise<OrderSettings> {
      return ok(call('demo-center-admin', { action: 'setSettings', settings }));
    },
    /** An order taken to `fulfilled` by demo-volunteer. */
    async fulfilled(): Promise<string> {
      const id = await c.post();
      await c.review(id);
      await c.dispatch(id);
      await c.accept(id);
      await c.fulfil(id);
      return id;
    },
  };
  return c;
}

async function cron(cloud: TestCloud, event: Record<string, unknown> = {}): Promise<CronSummary> {
  const r = await cloud.call<Result<CronSummary>>('cron', { Type: 'Timer', TriggerName: 'every5min', ...event });
  if (!r.ok) throw new Error(`cron failed: ${JSON.stringify(r.error)}`);
  return r.data;
}

const byTimer = (o: Order) => o.events.filter((e) => e.by === 'system');
const volunteer = (cloud: TestCloud, openid: string) =>
  cloud.engine.find('volunteers', { query: { _id: openid } })[0] as {
    load: number;
    ratingSum: number;
    ratingCount: number;
  };
/** Everything the demo settings say, but with a daily limit that lets one villager post many orders. */
const roomy = (over: Partial<OrderSettings> = {}): OrderSettings => ({
  ...DEFAULT_ORDER_SETTINGS,
  dailyLimit: 50,
  ...over,
});

/**
 * A demo cloud of its own at T0. The demo seed's own orders are removed (through cloud.engine) so that
 * each run's summary counts only the story's orders, whatever deadlines the seed gives its orders.
 */
async function demoCloud(settings: OrderSettings = roomy()) {
  const cloud = await startTestCloud({ demo: true });
  cloud.engine.remove('orders', {}, true);
  await cloud.setClock(at(0));
  const c = client(cloud);
  await c.setSettings(settings);
  return { cloud, c };
}

describe('cron: an order not handled in time climbs the tree, then turns red', () => {
  let cloud: TestCloud;
  let c: ReturnType<typeof client>;
  let id: string;

  beforeAll(async () => {
    ({ cloud, c } = await demoCloud());
    id = await c.post(); // submitted at the station: to be reviewed within 24 h
  });
  afterAll(() => cloud.close());

  it('leaves the order alone while its deadline has not passed', async () => {
    await cloud.setClock(at(23 * HOUR));
    await cron(cloud);
    const o = await c.get(id);
    expect(o).toMatchObject({ status: 'submitted', level: 'station', overdue: false });
    expect(byTimer(o)).toEqual([]);
  });

  it('escalates to the institute when the station has not reviewed it in 24 hours', async () => {
    await cloud.setClock(at(24 * HOUR + MINUTE));
    const summary = await cron(cloud);
    expect(summary).toMatchObject({ escalated: 1, overdue: 0, skipped: 0, autoClosed: 0, more: false });

    const o = await c.get(id, 'demo-institute-admin');
    expect(o).toMatchObject({ status: 'submitted', level: 'institute', overdue: false });
    expect(cloud.engine.find('orders', { query: { _id: id } })[0]).toMatchObject({ ownerOrgId: INSTITUTE });
    const last = o.events[o.events.length - 1];
    expect(last).toMatchObject({ type: 'escalated', from: 'submitted', to: 'submitted', by: 'system', byName: '系统' });
    expect(last.note).toContain('实践所');
    // A new deadline for the same stage at the institute: 24 hours from the run.
    const due = Date.parse(o.dueAt!);
    expect(due).toBeGreaterThanOrEqual(T0 + 48 * HOUR + MINUTE);
    expect(due).toBeLessThan(T0 + 48 * HOUR + 2 * MINUTE);

    const told = (await c.messages('demo-institute-admin')).filter((m) => m.orderId === id);
    expect(told).toEqual([expect.objectContaining({ title: '有需求上报到您这里', read: false })]);
  });

  it('escalates to the center when the institute lets it lapse too', async () => {
    await cloud.setClock(at(48 * HOUR + 3 * MINUTE));
    expect(await cron(cloud)).toMatchObject({ escalated: 1, overdue: 0 });
    const o = await c.get(id, 'demo-center-admin');
    expect(o).toMatchObject({ status: 'submitted', level: 'center', overdue: false });
    expect(cloud.engine.find('orders', { query: { _id: id } })[0]).toMatchObject({ ownerOrgId: CENTER });
    expect(o.events.filter((e) => e.type === 'escalated').map((e) => e.note)).toEqual([
      expect.stringContaining('实践所'),
      expect.stringContaining('实践中心'),
    ]);
    expect((await c.messages('demo-center-admin')).filter((m) => m.orderId === id)).toEqual([
      expect.objectContaining({ title: '有需求上报到您这里' }),
    ]);
  });

  it('turns red at the center, once, and tells the center', async () => {
    await cloud.setClock(at(72 * HOUR + 5 * MINUTE));
    expect(await cron(cloud)).toMatchObject({ escalated: 0, overdue: 1 });
    expect(await cron(cloud)).toMatchObject({ escalated: 0, overdue: 0 });
    await cloud.setClock(at(200 * HOUR));
    expect(await cron(cloud)).toMatchObject({ escalated: 0, overdue: 0 });

    const o = await c.get(id, 'demo-center-admin');
    expect(o).toMatchObject({ status: 'submitted', level: 'center', overdue: true });
    expect(byTimer(o).map((e) => e.type)).toEqual(['escalated', 'escalated', 'overdue']);
    expect((await c.messages('demo-center-admin')).filter((m) => m.orderId === id).map((m) => m.title)).toEqual([
      '需求已严重逾期',
      '有需求上报到您这里',
    ]);
    // The villager sees it in red in their list.
    const mine = await c.ok(c.call('demo-villager', { action: 'list', scope: 'mine' }));
    expect(mine.orders.find((s) => s.id === id)).toMatchObject({ overdue: true, level: 'center' });
  });
});

describe('cron: a dispatched volunteer who does not accept in time is skipped', () => {
  let cloud: TestCloud;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ cloud, c } = await demoCloud());
  });
  afterAll(() => cloud.close());

  it('puts the order back to open, passes the volunteer over and gives their load back', async () => {
    const id = await c.post();
    await c.review(id);
    const loadBefore = volunteer(cloud, 'demo-volunteer').load;
    await c.dispatch(id);
    expect(volunteer(cloud, 'demo-volunteer').load).toBe(loadBefore + 1);

    await cloud.setClock(at(11 * HOUR));
    expect(await cron(cloud)).toMatchObject({ skipped: 0 });
    await cloud.setClock(at(12 * HOUR + MINUTE)); // acceptHours: 12
    expect(await cron(cloud)).toMatchObject({ skipped: 1, escalated: 0 });

    const o = await c.get(id);
    expect(o).toMatchObject({ status: 'open', assignee: null, level: 'station' });
    expect(cloud.engine.find('orders', { query: { _id: id } })[0]).toMatchObject({
      passedOver: ['demo-volunteer'],
      acceptBy: null,
    });
    expect(byTimer(o)).toEqual([
      expect.objectContaining({ type: 'skipped', from: 'dispatched', to: 'open', byName: '系统' }),
    ]);
    expect(volunteer(cloud, 'demo-volunteer').load).toBe(loadBefore);
    expect((await c.messages('demo-station-head')).filter((m) => m.orderId === id).map((m) => m.title)).toContain(
      '派单超时未确认',
    );
    // Nobody dispatches it again automatically where the station has not turned that on.
    expect(await cron(cloud)).toMatchObject({ skipped: 0 });
    expect((await c.get(id)).status).toBe('open');
  });

  it('dispatches to the next candidate where the station has automatic dispatch on', async () => {
    await cloud.setClock(at(13 * HOUR));
    const id = await c.post();
    await c.review(id);
    await c.dispatch(id);
    expect(
      await c.ok(c.call('demo-station-head', { action: 'setAutoDispatch', stationId: STATION, on: true })),
    ).toEqual({ stationId: STATION, on: true });
    const ranked = (await c.ok(c.call('demo-station-head', { action: 'candidates', id }))).candidates;
    const next = ranked.find((k) => k.openid !== 'demo-volunteer');
    expect(next).toBeDefined();
    const nextLoad = volunteer(cloud, next!.openid).load;
    const loadBefore = volunteer(cloud, 'demo-volunteer').load;

    await cloud.setClock(at(25 * HOUR + MINUTE));
    expect(await cron(cloud)).toMatchObject({ skipped: 1 });

    const o = await c.get(id);
    expect(o).toMatchObject({ status: 'dispatched', assignee: { openid: next!.openid } });
    expect(byTimer(o).map((e) => [e.type, e.byName])).toEqual([
      ['skipped', '系统'],
      ['dispatched', '自动派单'],
    ]);
    expect(volunteer(cloud, 'demo-volunteer').load).toBe(loadBefore - 1);
    expect(volunteer(cloud, next!.openid).load).toBe(nextLoad + 1);
    expect((await c.messages(next!.openid)).filter((m) => m.orderId === id).map((m) => m.title)).toEqual([
      '有新任务派给您',
    ]);
    // The volunteer who let it lapse is not offered it again.
    const again = (await c.ok(c.call('demo-station-head', { action: 'candidates', id }))).candidates;
    expect(again.map((k) => k.openid)).not.toContain('demo-volunteer');
  });
});

describe('cron: a fulfilled order nobody rates closes by itself', () => {
  let cloud: TestCloud;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ cloud, c } = await demoCloud());
  });
  afterAll(() => cloud.close());

  it('closes after autoCloseDays with the automatic rating, counted for the volunteer', async () => {
    const id = await c.fulfilled();
    const before = volunteer(cloud, 'demo-volunteer');

    await cloud.setClock(at(7 * 24 * HOUR - HOUR));
    expect(await cron(cloud)).toMatchObject({ autoClosed: 0 });
    expect((await c.get(id, 'demo-villager')).status).toBe('fulfilled');

    await cloud.setClock(at(7 * 24 * HOUR + MINUTE));
    expect(await cron(cloud)).toMatchObject({ autoClosed: 1 });
    const o = await c.get(id, 'demo-villager');
    expect(o).toMatchObject({ status: 'closed', rating: { stars: 5, comment: null, auto: true } });
    expect(byTimer(o)).toEqual([
      expect.objectContaining({ type: 'autoClosed', from: 'fulfilled', to: 'closed', byName: '系统' }),
    ]);
    expect(volunteer(cloud, 'demo-volunteer')).toMatchObject({
      ratingSum: before.ratingSum + 5,
      ratingCount: before.ratingCount + 1,
    });
    expect((await c.messages('demo-volunteer')).filter((m) => m.orderId === id).map((m) => m.title)).toContain(
      '任务已自动完成',
    );
    // Closed orders are no longer the villager's to rate.
    expect(o.can).not.toContain('rate');
    expect(await cron(cloud)).toMatchObject({ autoClosed: 0 });
    expect(volunteer(cloud, 'demo-volunteer').ratingCount).toBe(before.ratingCount + 1);
  });
});

describe('cron: idempotent — runs in a row and runs at once change each order once', () => {
  /**
   * Three orders of each kind, each with exactly one thing due at T0 + 33 h: submitted ones past
   * their review deadline (24 h), dispatched ones past acceptBy (dispatched at 20 h, 12 h to accept),
   * fulfilled ones past rateBy (autoCloseDays 1).
   */
  async function due(cloud: TestCloud, c: ReturnType<typeof client>) {
    const fulfilled = [await c.fulfilled(), await c.fulfilled(), await c.fulfilled()];
    const submitted = [await c.post(), await c.post(), await c.post()];
    await cloud.setClock(at(20 * HOUR));
    const dispatched: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = await c.post();
      await c.review(id);
      await c.dispatch(id);
      dispatched.push(id);
    }
    await cloud.setClock(at(33 * HOUR));
    return { submitted, dispatched, fulfilled };
  }

  async function expectOnce(c: ReturnType<typeof client>, orders: Awaited<ReturnType<typeof due>>) {
    for (const id of orders.submitted) expect(byTimer(await c.get(id)).map((e) => e.type)).toEqual(['escalated']);
    for (const id of orders.dispatched) expect(byTimer(await c.get(id)).map((e) => e.type)).toEqual(['skipped']);
    for (const id of orders.fulfilled) expect(byTimer(await c.get(id)).map((e) => e.type)).toEqual(['autoClosed']);
  }

  it('does nothing more on a second run in a row', async () => {
    const { cloud, c } = await demoCloud(roomy({ autoCloseDays: 1 }));
    try {
      const orders = await due(cloud, c);
      const vol = volunteer(cloud, 'demo-volunteer');
      expect(await cron(cloud)).toMatchObject({ skipped: 3, escalated: 3, overdue: 0, autoClosed: 3, more: false });
      expect(await cron(cloud)).toMatchObject({ skipped: 0, escalated: 0, overdue: 0, autoClosed: 0, more: false });
      await expectOnce(c, orders);
      expect(volunteer(cloud, 'demo-volunteer')).toMatchObject({
        load: vol.load - 3,
        ratingCount: vol.ratingCount + 3,
        ratingSum: vol.ratingSum + 15,
      });
    } finally {
      await cloud.close();
    }
  });

  it('changes each order once when two runs start at the same moment', async () => {
    const { cloud, c } = await demoCloud(roomy({ autoCloseDays: 1 }));
    try {
      const orders = await due(cloud, c);
      const vol = volunteer(cloud, 'demo-volunteer');
      const runs = await Promise.all([cron(cloud), cron(cloud)]);
      const total = (k: keyof CronSummary) => runs.reduce((n, r) => n + Number(r[k]), 0);
      expect([total('skipped'), total('escalated'), total('overdue'), total('autoClosed')]).toEqual([3, 3, 0, 3]);
      await expectOnce(c, orders);
      expect(volunteer(cloud, 'demo-volunteer')).toMatchObject({
        load: vol.load - 3,
        ratingCount: vol.ratingCount + 3,
        ratingSum: vol.ratingSum + 15,
      });
      // One message per event, however many runs raced for it.
      const heads = (await c.messages('demo-station-head')).filter((m) => m.title === '派单超时未确认');
      expect(heads).toHaveLength(3);
    } finally {
      await cloud.close();
    }
  });

  it('never fails because another run is working: it skips what the other holds, the next run does it', async () => {
    const { cloud, c } = await demoCloud(roomy({ autoCloseDays: 1 }));
    try {
      const orders = await due(cloud, c);
      // Another run (or an order action) holds demo-volunteer's counters in a transaction of its own,
      // as long as this run lasts: every change of this run that touches them conflicts, on every retry.
      const held = cloud.engine.startTransaction();
      cloud.engine.txUpdate(held, 'volunteers', 'demo-volunteer', {
        update: { $set: { heldForTest: true } },
        upsert: false,
        merge: true,
      });
      const first = await cron(cloud);
      // The escalations touch no volunteer; the skips and auto-closes are left to the next run.
      expect(first).toMatchObject({ skipped: 0, escalated: 3, autoClosed: 0 });
      cloud.engine.abort(held);
      expect(await cron(cloud)).toMatchObject({ skipped: 3, escalated: 0, autoClosed: 3 });
      await expectOnce(c, orders);
    } finally {
      await cloud.close();
    }
  });

  it('works through more than a batch, in batches of 100, and two runs at once still close each once', async () => {
    // 250 orders are inserted through cloud.engine (making them one by one through the order function
    // would take minutes and hit the daily posting limit): fulfilled by demo-vol-001, rateBy passed.
    const { cloud } = await demoCloud();
    try {
      const N = 250;
      const fulfilledAt = new Date(T0 - 8 * 24 * HOUR);
      const docs = Array.from({ length: N }, (_v, i) => bulkOrder(`bulk-${String(i).padStart(3, '0')}`, fulfilledAt));
      cloud.engine.insert('orders', docs);
      const vol = volunteer(cloud, 'demo-vol-001');

      // No time at all: no batch is started, and the run says there is more.
      expect(await cron(cloud, { budgetMs: 0 })).toMatchObject({ autoClosed: 0, more: true });

      // Two runs at once, then runs in a row until none says there is more (each run's budget of
      // database operations covers some tens of auto-closes).
      const runs = [...(await Promise.all([cron(cloud), cron(cloud)]))];
      while (runs.length < 30 && runs[runs.length - 1].more) runs.push(await cron(cloud));
      expect(runs.reduce((n, r) => n + r.autoClosed, 0)).toBe(N);
      expect(runs[runs.length - 1].more).toBe(false);
      expect(cloud.engine.count('orders', { status: 'closed', 'rating.auto': true })).toBe(N);
      expect(cloud.engine.count('orders', {})).toBe(N);
      const events = cloud.engine
        .find('orders', { query: { _id: { $regex: '^bulk-' } }, limit: 1000 })
        .map((o) => (o.events as { type: string }[]).filter((e) => e.type === 'autoClosed').length);
      expect(events).toEqual(Array(N).fill(1));
      expect(volunteer(cloud, 'demo-vol-001')).toMatchObject({
        ratingCount: vol.ratingCount + N,
        ratingSum: vol.ratingSum + 5 * N,
      });
      console.log(`cron: ${N} auto-closes by two concurrent runs in ${runs.map((r) => r.ms).join(' ms and ')} ms`);
    } finally {
      await cloud.close();
    }
  });
});

describe('cron: a backlog after an outage', () => {
  it('escalates it in groups, at most maxChanges a run, oldest first, each order once and told once by group', async () => {
    // 230 orders open at the station whose deadline passed during a day's outage, inserted through
    // cloud.engine; the oldest deadlines are the first 100.
    const { cloud } = await demoCloud();
    try {
      const N = 230;
      const docs = Array.from({ length: N }, (_v, i) => {
        const dueAt = new Date(T0 - 24 * HOUR + i * MINUTE);
        return {
          ...bulkOrder(`late-${String(i).padStart(3, '0')}`, new Date(T0 - 2 * 24 * HOUR)),
          status: 'open',
          assignee: null,
          fulfilledAt: null,
          fulfilment: null,
          rateBy: null,
          dueAt,
          events: [
            {
              from: null,
              to: 'submitted',
              type: 'created',
              by: 'demo-villager',
              byName: '赵桂英',
              at: new Date(T0 - 2 * 24 * HOUR),
            },
            {
              from: 'submitted',
              to: 'open',
              type: 'reviewed',
              by: 'demo-station-head',
              byName: '站长',
              at: new Date(T0 - 2 * 24 * HOUR),
            },
          ],
        };
      });
      cloud.engine.insert('orders', docs);
      const level = (id: string) => cloud.engine.find('orders', { query: { _id: id } })[0].level;

      const escalatedAt = (orgId: string) =>
        cloud.engine
          .find('figures', { query: { orgId }, limit: 10_000 })
          .reduce((n, d) => n + Number(d.escalated ?? 0), 0);
      const escalatedBefore = Object.fromEntries([STATION, INSTITUTE, CENTER].map((id) => [id, escalatedAt(id)]));

      const first = await cron(cloud, { maxChanges: 100 });
      expect(first).toMatchObject({ escalated: 100, more: true });
      // Oldest deadline first: the first 100 moved, the 101st did not.
      expect([level('late-000'), level('late-099'), level('late-100')]).toEqual(['institute', 'institute', 'station']);

      // Two runs at once, then runs until the backlog is gone: each order moves once.
      const runs = [...(await Promise.all([cron(cloud, { maxChanges: 100 }), cron(cloud, { maxChanges: 100 })]))];
      while (runs.length < 10 && runs[runs.length - 1].more) runs.push(await cron(cloud, { maxChanges: 100 }));
      expect(first.escalated + runs.reduce((n, r) => n + r.escalated, 0)).toBe(N);
      expect(cloud.engine.count('orders', { level: 'institute', ownerOrgId: INSTITUTE })).toBe(N);
      const escalations = cloud.engine
        .find('orders', { query: { _id: { $regex: '^late-' } }, limit: 1000 })
        .map((o) => (o.events as { type: string }[]).filter((e) => e.type === 'escalated').length);
      expect(escalations).toEqual(Array(N).fill(1));
      // The command center counts each escalation once, for the station and every node above it.
      expect([STATION, INSTITUTE, CENTER].map((id) => escalatedAt(id) - escalatedBefore[id])).toEqual([N, N, N]);
      // The institute's admin is told of each order once: one message per run's group, counting its orders.
      const told = cloud.engine.find('messages', {
        query: { openid: 'demo-institute-admin', title: '有需求上报到您这里' },
        limit: 1000,
      });
      expect(told.length).toBeLessThanOrEqual(1 + runs.length);
      expect(told.reduce((n, m) => n + Number(/共(\d+)个需求/.exec(String(m.body))?.[1] ?? 0), 0)).toBe(N);
      expect(await cron(cloud)).toMatchObject({ escalated: 0, more: false });
    } finally {
      await cloud.close();
    }
  });
});

describe('cron: a budget of database operations', () => {
  it('stops within a small budget, and the next runs continue where it stopped: a backlog drains in the predicted runs', async () => {
    // 60 fulfilled orders nobody rated, their rateBy passed: each auto-close is a transaction with the
    // volunteer's counters and the figures, and a message: tens of operations a run can afford few of.
    const { cloud } = await demoCloud();
    try {
      const N = 60;
      const MAX_OPS = 150;
      const fulfilledAt = new Date(T0 - 8 * 24 * HOUR);
      cloud.engine.insert(
        'orders',
        Array.from({ length: N }, (_v, i) => bulkOrder(`ops-${String(i).padStart(3, '0')}`, fulfilledAt)),
      );
      const closed = () => cloud.engine.count('orders', { status: 'closed', 'rating.auto': true });

      const first = await cron(cloud, { maxOps: MAX_OPS });
      // Within the budget, counted by the run as it went, and it says there is more.
      expect(first.run.maxOps).toBe(MAX_OPS);
      expect(first.run.ops).toBeLessThanOrEqual(MAX_OPS);
      expect(first.autoClosed).toBeGreaterThan(0);
      expect(first.autoClosed).toBeLessThan(N);
      expect(first).toMatchObject({ more: true });
      expect(closed()).toBe(first.autoClosed);

      // The second run knows from the start what an order costs (the first learnt it on its first
      // batch), and so does every later one: the same budget, the same cost an order, the same number
      // changed. The backlog drains in 2 + ceil((N − first − second) / second) runs, each within its
      // budget, each order closed once.
      const second = await cron(cloud, { maxOps: MAX_OPS });
      expect(second.autoClosed).toBeGreaterThan(0);
      const predicted = 2 + Math.ceil((N - first.autoClosed - second.autoClosed) / second.autoClosed);
      const runs = [first, second];
      while (runs.length < 2 * predicted && runs[runs.length - 1].more)
        runs.push(await cron(cloud, { maxOps: MAX_OPS }));
      const working = runs.filter((r) => r.autoClosed > 0);
      expect(working).toHaveLength(predicted);
      expect(runs.every((r) => r.run.ops <= MAX_OPS)).toBe(true);
      expect(closed()).toBe(N);
      const events = cloud.engine
        .find('orders', { query: { _id: { $regex: '^ops-' } }, limit: 1000 })
        .map((o) => (o.events as { type: string }[]).filter((e) => e.type === 'autoClosed').length);
      expect(events).toEqual(Array(N).fill(1));
      expect(await cron(cloud, { maxOps: MAX_OPS })).toMatchObject({ autoClosed: 0, more: false });
    } finally {
      await cloud.close();
    }
  });

  it('counts check-ins in the figures within the budget, oldest first, leaving the rest to the next run', async () => {
    const { cloud } = await demoCloud();
    try {
      const N = 70;
      const [activity] = cloud.engine.find('activities', { query: {}, limit: 1 }) as { _id: string; path?: string[] }[];
      const [point] = cloud.engine.find('orgs', { query: { _id: 'haian-01-001-01' } }) as { ancestors: string[] }[];
      const path = [...point.ancestors, 'haian-01-001-01'];
      cloud.engine.insert(
        'checkins',
        Array.from({ length: N }, (_v, i) => ({
          _id: `ops-checkin-${String(i).padStart(3, '0')}`,
          activityId: activity._id,
          openid: `ops-vol-${i}`,
          name: '志愿者',
          state: 'in',
          inAt: new Date(T0 - (N - i) * MINUTE),
          outAt: null,
          minutes: null,
          flags: [],
          review: 'none',
          figuresPath: path,
          figured: false,
        })),
      );
      const left = () => cloud.engine.count('checkins', { figured: false });
      const before = left();
      const first = await cron(cloud, { maxOps: 100 });
      expect(first.run.ops).toBeLessThanOrEqual(100);
      expect(first.figured).toBeGreaterThan(0);
      expect(left()).toBeGreaterThan(0);
      // Oldest first: the first counted, the newest not yet.
      const figured = (id: string) => cloud.engine.find('checkins', { query: { _id: id } })[0].figured;
      expect([figured('ops-checkin-000'), figured(`ops-checkin-0${N - 1}`)]).toEqual([true, false]);
      const runs = [first];
      while (runs.length < 60 && left() > 0) runs.push(await cron(cloud, { maxOps: 100 }));
      expect(left()).toBe(0);
      expect(runs.every((r) => r.run.ops <= 100 && r.figured > 0)).toBe(true);
      console.log(`cron: ${before} check-ins counted in ${runs.length} runs of at most 100 operations`);
      expect(before).toBeGreaterThanOrEqual(N);
    } finally {
      await cloud.close();
    }
  });
});

/** A fulfilled order as the order function stores it, for the bulk test. */
function bulkOrder(id: string, fulfilledAt: Date): Record<string, unknown> {
  const created = new Date(fulfilledAt.getTime() - 24 * HOUR);
  return {
    _id: id,
    requestKey: `bulk:${id}`,
    kind: 'wish',
    category: 'health',
    title: '帮忙量血压',
    content: '家里老人血压高，想请志愿者上门量一量。',
    photos: [],
    pointId: null,
    pointName: null,
    lat: null,
    lng: null,
    stationId: STATION,
    stationName: '凤山村新时代文明实践站',
    path: [CENTER, INSTITUTE, STATION],
    level: 'station',
    ownerOrgId: STATION,
    status: 'fulfilled',
    overdue: false,
    requester: { openid: 'demo-villager', name: '赵桂英', householdId: '10000001' },
    contact: null,
    assignee: { openid: 'demo-vol-001', name: '志愿者' },
    passedOver: [],
    dueAt: null,
    acceptBy: null,
    rateBy: new Date(fulfilledAt.getTime() + 7 * 24 * HOUR),
    fulfilledAt,
    fulfilment: { note: '已经办好了。', photos: [], at: fulfilledAt },
    rating: null,
    events: [
      { from: null, to: 'submitted', type: 'created', by: 'demo-villager', byName: '赵桂英', at: created },
      { from: 'accepted', to: 'fulfilled', type: 'fulfilled', by: 'demo-vol-001', byName: '志愿者', at: fulfilledAt },
    ],
    createdAt: created,
    updatedAt: fulfilledAt,
  };
}

describe('cron: the center’s settings are honoured', () => {
  let cloud: TestCloud;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ cloud, c } = await demoCloud());
  });
  afterAll(() => cloud.close());

  it('uses the SLAs, accept time, auto-close days and stars the center set', async () => {
    const settings = roomy({
      sla: {
        station: { reviewHours: 2, takeHours: 3, fulfilHours: 24 },
        institute: { reviewHours: 5, takeHours: 6, fulfilHours: 24 },
        center: { reviewHours: 8, takeHours: 9, fulfilHours: 24 },
      },
      acceptHours: 1,
      autoCloseDays: 2,
      autoCloseStars: 4,
    });
    expect(await c.setSettings(settings)).toEqual(settings);

    const submitted = await c.post(); // review within 2 h
    const dispatched = await c.post();
    await c.review(dispatched);
    await c.dispatch(dispatched); // accept within 1 h
    const fulfilled = await c.fulfilled(); // rated within 2 days

    await cloud.setClock(at(HOUR + MINUTE));
    expect(await cron(cloud)).toMatchObject({ skipped: 1, escalated: 0, autoClosed: 0 });
    expect((await c.get(dispatched)).status).toBe('open');

    await cloud.setClock(at(2 * HOUR + MINUTE));
    expect(await cron(cloud)).toMatchObject({ escalated: 1 });
    const up = await c.get(submitted);
    expect(up.level).toBe('institute');
    // The institute's review SLA, 5 h, from the run.
    expect(Date.parse(up.dueAt!) - (T0 + 2 * HOUR + MINUTE)).toBeGreaterThanOrEqual(5 * HOUR);
    expect(Date.parse(up.dueAt!) - (T0 + 2 * HOUR + MINUTE)).toBeLessThan(5 * HOUR + MINUTE);

    await cloud.setClock(at(2 * 24 * HOUR + MINUTE));
    const summary = await cron(cloud);
    expect(summary.autoClosed).toBe(1);
    expect((await c.get(fulfilled, 'demo-villager')).rating).toMatchObject({ stars: 4, auto: true });
  });
});

describe('cron: only the platform runs it', () => {
  let cloud: TestCloud;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ cloud, c } = await demoCloud());
  });
  afterAll(() => cloud.close());

  it('refuses a call that carries a caller identity, and changes nothing', async () => {
    const id = await c.post();
    await cloud.setClock(at(30 * HOUR));
    for (const who of ['demo-center-admin', 'demo-villager', 'someone']) {
      const r = await cloud.call<Result<CronSummary>>('cron', { Type: 'Timer' }, who);
      expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    }
    const o = await c.get(id);
    expect(o).toMatchObject({ level: 'station', status: 'submitted' });
    expect(byTimer(o)).toEqual([]);
    // The platform's own run then does it.
    expect(await cron(cloud)).toMatchObject({ escalated: 1 });
  });
});
