/**
 * The roll-ups of closed months (shared/stats/domain/rollups.ts): the league table and the big screen
 * read each node's closed months from one kept document and the open months live, and answer exactly
 * what a read of every month document answers — after changes in the open month, after a change
 * counted late into a closed month (the node's epoch), and when two first calls compute the same
 * roll-ups at once. (A rebuild's drop of the roll-ups: tests/tooling/stats-check.test.ts.)
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';
import { activityClient, at } from '../helpers/activities';
import { volunteerAt } from '../helpers/people';
import { statsClient } from '../helpers/stats';
import type { StatsApi } from '../../typings/stats';

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

const rollups = () => cloud.engine.find('figureRollups', { query: { kind: 'rollup' }, limit: 100_000 });
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
  expect(rollups().length).toBe(before.rows.length);
  await statsClient(cloud).publicFigures();
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
  // Nothing new was kept: the closed months came from the roll-ups, the open month was read live.
  expect(rollups().length).toBe(kept);
  expect(rowOf(cached, STATION)).not.toEqual(rowOf(before, STATION));
  dropRollups();
  const uncached = await stationTable(period);
  const uncachedScreen = await statsClient(cloud).publicFigures();
  expect(cached).toEqual(uncached);
  expect({ ...cachedScreen, updatedAt: null }).toEqual({ ...uncachedScreen, updatedAt: null });
});

test('two first calls at once keep each roll-up once and answer the same', async () => {
  const today = beijing(Date.now()).slice(0, 10);
  const period = { from: `${monthsBefore(today.slice(0, 7), 5)}-01`, to: today };
  dropRollups();
  const [a, b] = await Promise.all([stationTable(period), stationTable(period)]);
  expect(a).toEqual(b);
  const ranges = rollups().filter((r) => String(r.range).startsWith(period.from.slice(0, 7)));
  expect(ranges.length).toBe(a.rows.length);
  expect(new Set(ranges.map((r) => r.orgId)).size).toBe(a.rows.length);
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
  expect(rollups().some((r) => r.orgId === STATION && r.range === `${next}..${next}`)).toBe(true);

  await cloud.call('cron', { budgetMs: 20_000 });
  const after = await stationTable(period);
  const part = (t: Table, key: string) => rowOf(t, STATION)?.parts.find((p) => p.key === key)?.value;
  expect(part(after, 'activitiesPerStationMonth')).not.toEqual(part(before, 'activitiesPerStationMonth'));
  dropRollups();
  expect(await stationTable(period)).toEqual(after);
});
