/**
 * The roll-ups of closed months (shared/stats/domain/rollups.ts): the league table, the big screen and
 * the overview read each node's closed months from kept documents and the open months live, and
 * answer exactly what a read of every month document answers — after changes in the open month, after
 * a change counted late into a closed month (the node's epoch), when two first calls compute the same
 * roll-ups at once, and when a month closes and its roll-up is computed from the month before's.
 * (A rebuild's drop of the roll-ups: tests/tooling/stats-check.test.ts.)
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';
import { activityClient, at } from '../helpers/activities';
import { volunteerAt } from '../helpers/people';
import { statsClient } from '../helpers/stats';
import type { StatsApi } from '../../typings/stats';
import type { Result } from '../../typings/errors';
import type { CronSummary } from '../../cloudfunctions/cron/index';
import { isClosed } from '../../cloudfunctions/shared/stats/domain/rollups';
import { monthsBetween } from '../../cloudfunctions/shared/stats/domain/figures';

jest.setTimeout(180_000);

let cloud: TestCloud;
const STATION = 'haian-01-001';

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

/** A Beijing day or month of an instant. */
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString();
const monthsBefore = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
};

interface Kept {
  _id: string;
  orgId: string;
  month: string;
  at: Date;
}
const rollups = () =>
  cloud.engine.find('figureRollups', { query: { kind: 'rollup' }, limit: 100_000 }) as unknown as Kept[];
const dropRollups = () => cloud.engine.remove('figureRollups', { kind: 'rollup' }, true);

type Table = StatsApi['assessment']['res'];
const stationTable = (req: { from: string; to: string }) =>
  statsClient(cloud).ok(
    statsClient(cloud).call('demo-center-admin', { action: 'assessment', level: 'station', ...req }),
  );
const rowOf = (t: Table, orgId: string) => t.rows.find((r) => r.orgId === orgId);

test('after changes in the open month, the answers from the roll-ups equal those read from every month', async () => {
  const today = beijing(Date.now()).slice(0, 10);
  // Twelve months to today: at least ten of them closed, whatever the day.
  const period = { from: `${monthsBefore(today.slice(0, 7), 11)}-01`, to: today };
  const before = await stationTable(period);
  // Each station's closed months are kept from January of the first one's year: a month's roll-up is
  // computed from the month before's, so the first call computes the year up to the period's start.
  const closed = monthsBetween(period.from, period.to).filter((m) => isClosed(m, Date.now()));
  const computed = monthsBetween(`${closed[0].slice(0, 4)}-01-01`, `${closed[closed.length - 1]}-01`);
  expect(rollups().length).toBe(before.rows.length * computed.length);
  expect(new Set(rollups().map((r) => r.month))).toEqual(new Set(computed));
  const screen = await statsClient(cloud).publicFigures();
  const stats = statsClient(cloud);
  const overviews = async () => [
    await stats.overview('demo-center-admin', period),
    await stats.overview('demo-institute-admin', period),
  ];
  const overviewsBefore = await overviews();
  const kept = rollups().length;

  const orders = orderClient(cloud);
  await orders.dailyLimit(50);
  const fulfilled = await orders.post('demo-villager');
  await orders.ok(orders.call('demo-station-head', { action: 'review', id: fulfilled, approve: true }));
  await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id: fulfilled, volunteer: 'demo-volunteer' }));
  await orders.ok(orders.call('demo-volunteer', { action: 'accept', id: fulfilled }));
  await orders.ok(orders.call('demo-volunteer', { action: 'fulfil', id: fulfilled, note: '办好了。', photos: [] }));
  await orders.ok(orders.call('demo-villager', { action: 'rate', id: fulfilled, stars: 3 }));
  await orders.post('demo-villager');
  await orders.post('demo-villager');

  const cached = await stationTable(period);
  const cachedScreen = await statsClient(cloud).publicFigures();
  const cachedOverviews = await overviews();
  // Nothing new was kept: the closed months came from the roll-ups, the open month was read live.
  expect(rollups().length).toBe(kept);
  expect(rowOf(cached, STATION)).not.toEqual(rowOf(before, STATION));
  expect(cachedScreen.year.posted).toBe(screen.year.posted + 3);
  expect(cachedOverviews[0].orders.posted).toBe(overviewsBefore[0].orders.posted + 3);
  dropRollups();
  const uncached = await stationTable(period);
  const uncachedScreen = await statsClient(cloud).publicFigures();
  expect(cached).toEqual(uncached);
  expect({ ...cachedScreen, updatedAt: null }).toEqual({ ...uncachedScreen, updatedAt: null });
  dropRollups();
  expect(await overviews()).toEqual(cachedOverviews);
  // Two months in a row not kept (the timer down a month), the months before them kept: each is
  // computed on the one before, and the months read as kept keep their totals.
  const dropLastTwo = () => {
    for (const month of closed.slice(-2)) cloud.engine.remove('figureRollups', { kind: 'rollup', month }, true);
  };
  dropLastTwo();
  expect(await overviews()).toEqual(cachedOverviews);
  // The league table wants the last month and has not the one before: built on the latest kept before.
  dropLastTwo();
  expect(await stationTable(period)).toEqual(cached);
});

test('two first calls at once keep each roll-up once and answer the same', async () => {
  const today = beijing(Date.now()).slice(0, 10);
  const period = { from: `${monthsBefore(today.slice(0, 7), 5)}-01`, to: today };
  dropRollups();
  const [a, b] = await Promise.all([stationTable(period), stationTable(period)]);
  expect(a).toEqual(b);
  // Each node and month kept once, though both calls computed them.
  const kept = rollups();
  expect(new Set(kept.map((r) => `${r.orgId}:${r.month}`)).size).toBe(kept.length);
  expect(new Set(kept.map((r) => r.orgId)).size).toBe(a.rows.length);
  dropRollups();
  expect(await stationTable(period)).toEqual(a);
});

test('a check-in counted late into a closed month is in the next answer, not hidden by a roll-up kept before', async () => {
  // The last day of next month (Beijing) at 16:00: an activity 18:00–20:00, checked in and out.
  const next = monthsBefore(beijing(Date.now()).slice(0, 7), -1);
  const lastDay = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)), 0)).getUTCDate();
  const base = new Date(`${next}-${String(lastDay).padStart(2, '0')}T08:00:00.000Z`);
  await cloud.setClock(base.toISOString());
  const volunteer = 'rollup-volunteer';
  volunteerAt(cloud, volunteer, STATION, ['health'], '郑志愿');
  const act = activityClient(cloud);
  const id = await act.create(base, { title: '月末健康义诊', capacity: 5 });
  await act.ok(act.call(volunteer, { action: 'signup', id }));
  await cloud.setClock(at(base, 125));
  const point = cloud.engine.find('orgs', { query: { _id: 'haian-01-001-01' } })[0] as { lat: number; lng: number };
  await act.ok(act.scan(volunteer, await act.scene(id), { location: { lat: point.lat, lng: point.lng } }));
  await cloud.setClock(at(base, 215));
  await act.ok(act.scan(volunteer, await act.scene(id)));

  // The timer does not run until ten days into the month after (an outage): the check-in is not counted
  // and the activity not closed when the month's roll-ups are kept.
  await cloud.setClock(new Date(base.getTime() + 10 * 86_400_000).toISOString());
  const period = { from: `${next}-01`, to: beijing(base.getTime() + 10 * 86_400_000).slice(0, 10) };
  const before = await stationTable(period);
  const townBefore = await statsClient(cloud).overview('demo-institute-admin', period);
  expect(rollups().some((r) => r.orgId === STATION && r.month === next)).toBe(true);

  await cloud.call('cron', { budgetMs: 20_000 });
  const after = await stationTable(period);
  // The town's overview reads its stations' roll-ups by their parent: the station's epoch is found so too.
  const townAfter = await statsClient(cloud).overview('demo-institute-admin', period);
  expect(townAfter.activities.checkins).toBe(townBefore.activities.checkins + 1);
  const part = (t: Table, key: string) => rowOf(t, STATION)?.parts.find((p) => p.key === key)?.value;
  expect(part(after, 'activitiesPerStationMonth')).not.toEqual(part(before, 'activitiesPerStationMonth'));
  dropRollups();
  expect(await stationTable(period)).toEqual(after);
  expect(await statsClient(cloud).overview('demo-institute-admin', period)).toEqual(townAfter);
});

test('a month that closes is rolled up from the month before’s roll-up, without reading the earlier months again', async () => {
  // From the clock the test before left (some days into a month), a period of six months to today.
  const start = cloud.clock.now();
  const today = beijing(start).slice(0, 10);
  const last = monthsBefore(today.slice(0, 7), 1);
  const period = { from: `${monthsBefore(last, 5)}-01`, to: today };
  dropRollups();
  await stationTable(period);
  const keptBefore = new Map(rollups().map((r) => [r._id, new Date(r.at).getTime()]));
  expect(rollups().some((r) => r.orgId === STATION && r.month === last)).toBe(true);

  // A month already rolled up, changed behind the roll-ups' back (as no raise can: no epoch moves).
  const earlier = monthsBefore(last, 1);
  const tamper = (sign: number) =>
    cloud.engine.update('figures', {
      query: { _id: `${STATION}:${earlier}` },
      update: { $inc: { posted: 1000 * sign, fulfilled: 1000 * sign } },
      multi: false,
      upsert: false,
      merge: true,
    });
  expect(tamper(1).updated).toBe(1);

  // A month on, the month after `last` has closed too.
  const later = new Date(start + 31 * 86_400_000);
  await cloud.setClock(later.toISOString());
  const then = { from: period.from, to: beijing(later.getTime()).slice(0, 10) };
  const rolled = await stationTable(then);
  const closing = monthsBefore(last, -1);
  const now = rollups();
  // The months kept before were used as they were; only the month that closed was computed.
  expect(
    now.filter((r) => keptBefore.has(r._id)).every((r) => new Date(r.at).getTime() === keptBefore.get(r._id)),
  ).toBe(true);
  expect(now.filter((r) => !keptBefore.has(r._id)).map((r) => r.month)).toEqual(
    now.filter((r) => !keptBefore.has(r._id)).map(() => closing),
  );
  expect(now.some((r) => r.orgId === STATION && r.month === closing)).toBe(true);

  // Read from every month, the change behind the roll-ups' back shows; undone, the answers agree.
  dropRollups();
  const fromFigures = await stationTable(then);
  expect(rowOf(fromFigures, STATION)).not.toEqual(rowOf(rolled, STATION));
  expect(tamper(-1).updated).toBe(1);
  dropRollups();
  expect(await stationTable(then)).toEqual(rolled);
});

test('the timer keeps the month that closed for every node once, and a reader then finds them kept', async () => {
  const now = cloud.clock.now();
  const last = monthsBefore(beijing(now).slice(0, 7), isClosed(monthsBefore(beijing(now).slice(0, 7), 1), now) ? 1 : 2);
  dropRollups();
  cloud.engine.remove('figureRollups', { _id: 'kept' }, false);
  const nodes = cloud.engine.find('orgs', {
    query: { level: { $in: ['center', 'institute', 'station'] } },
    limit: 100_000,
  }) as { _id: string }[];

  const timer = async (maxOps?: number) => {
    const r = await cloud.call<Result<CronSummary>>('cron', { Type: 'Timer', budgetMs: 20_000, maxOps });
    if (!r.ok) throw new Error(`cron failed: ${JSON.stringify(r.error)}`);
    return r.data;
  };
  // A run with no operations to spare leaves it for the next, keeping nothing.
  const starved = await timer(3);
  expect(starved.rollups).toBeNull();
  expect(starved.run.ops).toBeLessThanOrEqual(3);
  expect(rollups().filter((r) => r.month === last)).toEqual([]);
  const first = await timer();
  expect(first.rollups).toEqual({ month: last, computed: nodes.length });
  const ofMonth = rollups().filter((r) => r.month === last);
  expect(new Set(ofMonth.map((r) => r.orgId))).toEqual(new Set(nodes.map((n) => n._id)));

  // Marked: the next run only reads the mark.
  const second = await timer();
  expect(second.rollups).toBeNull();

  // A league table of the year to the month that closed computes nothing: it reads what the timer kept.
  const count = rollups().length;
  const table = await stationTable({ from: `${last.slice(0, 4)}-01-01`, to: beijing(now).slice(0, 10) });
  expect(rollups().length).toBe(count);
  dropRollups();
  expect(await stationTable({ from: `${last.slice(0, 4)}-01-01`, to: beijing(now).slice(0, 10) })).toEqual(table);
});
