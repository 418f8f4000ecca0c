/**
 * The command center's figures move as the work happens: an order's steps, for its station and every
 * node above it and for no other node; a station head sees only their own village.
 */
import { demoOrders } from '../helpers/orders';
import { statsClient } from '../helpers/stats';
import type { Figures } from '../../typings/stats';

jest.setTimeout(120_000);

const { cloud, orders } = demoOrders();
const STATION = 'haian-01-001';
const SIBLING_STATION = 'haian-01-002';
const INSTITUTE = 'haian-01';
const OTHER_INSTITUTE = 'haian-02';

/** The posted, fulfilled, closed counts and rating count of the nodes the test watches. */
async function watched() {
  const stats = statsClient(cloud());
  const at = (orgId: string) => stats.overview('demo-center-admin', { orgId });
  const pick = (o: Figures) => ({
    posted: o.orders.posted,
    reviewed: o.orders.reviewed,
    fulfilled: o.orders.fulfilled,
    closed: o.orders.closed,
    rejected: o.orders.rejected,
    ratings: o.ratings,
    health: o.byCategory.health.posted,
  });
  const [center, institute, station, sibling, other] = await Promise.all(
    ['haian', INSTITUTE, STATION, SIBLING_STATION, OTHER_INSTITUTE].map(at),
  );
  return {
    center: pick(center),
    institute: pick(institute),
    station: pick(station),
    sibling: pick(sibling),
    other: pick(other),
    childOfCenter: pick(center.children.find((c) => c.orgId === INSTITUTE)!),
    childOfInstitute: pick(institute.children.find((c) => c.orgId === STATION)!),
  };
}

type Watched = Awaited<ReturnType<typeof watched>>;
const moved = (before: Watched, after: Watched) =>
  Object.fromEntries(
    Object.entries(after).map(([node, f]) => [
      node,
      Object.fromEntries(
        Object.entries(f)
          .map(([k, v]) => [k, v - (before as Record<string, Record<string, number>>)[node][k]])
          .filter(([, v]) => v !== 0),
      ),
    ]),
  );

test('an order’s steps move the figures of its station and every node above it, and of no other node', async () => {
  const before = await watched();
  const id = await orders().post('demo-villager', { category: 'health' });
  await orders().ok(orders().call('demo-station-head', { action: 'review', id, approve: true }));
  await orders().ok(orders().call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
  await orders().ok(orders().call('demo-volunteer', { action: 'accept', id }));
  await orders().ok(
    orders().call('demo-volunteer', { action: 'fulfil', id, note: '已经上门量过血压了。', photos: [] }),
  );
  await orders().ok(orders().call('demo-villager', { action: 'rate', id, stars: 4 }));
  const rejected = await orders().post('demo-villager', { category: 'arts' });
  await orders().ok(
    orders().call('demo-station-head', { action: 'review', id: rejected, approve: false, reason: '重复了' }),
  );
  const after = await watched();
  const up = { posted: 2, reviewed: 2, fulfilled: 1, closed: 1, rejected: 1, ratings: 1, health: 1 };
  expect(moved(before, after)).toEqual({
    center: up,
    institute: up,
    station: up,
    sibling: {},
    other: {},
    childOfCenter: up,
    childOfInstitute: up,
  });
});

test('a retried post counts once', async () => {
  const before = await watched();
  const req = {
    action: 'create' as const,
    kind: 'wish' as const,
    category: 'health' as const,
    title: '帮忙修个电灯',
    content: '厨房的电灯坏了，想请志愿者帮忙修一修。',
    requestId: 'stats-retry-0001',
    acknowledgeSimilar: true,
  };
  const [a, b] = await Promise.all([
    orders().ok(orders().call('demo-villager', req)),
    orders().ok(orders().call('demo-villager', req)),
  ]);
  expect(a.id).toBe(b.id);
  const after = await watched();
  expect(after.station.posted - before.station.posted).toBe(1);
  expect(after.center.posted - before.center.posted).toBe(1);
});

test('the fulfilment rate is fulfilled ÷ (posted − rejected − cancelled), and the children come laggards first', async () => {
  const o = await statsClient(cloud()).overview('demo-center-admin');
  const owed = o.orders.posted - o.orders.rejected - o.orders.cancelled;
  expect(o.fulfilmentRate).toBeCloseTo(o.orders.fulfilled / owed, 4);
  const rates = o.children.map((c) => c.fulfilmentRate).filter((r): r is number => r !== null);
  expect(rates).toEqual([...rates].sort((a, b) => a - b));
  expect(o.trend.length).toBeGreaterThan(0);
});

test('a station head sees their village only; an institute admin their town; the public figures need no login', async () => {
  const stats = statsClient(cloud());
  const own = await stats.overview('demo-station-head');
  expect(own.orgId).toBe(STATION);
  expect(own.children).toEqual([]);
  const other = await stats.call('demo-station-head', { action: 'overview', orgId: SIBLING_STATION });
  expect(other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const up = await stats.call('demo-station-head', { action: 'overview', orgId: INSTITUTE });
  expect(up).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const town = await stats.overview('demo-institute-admin');
  expect(town.orgId).toBe(INSTITUTE);
  expect(await stats.call('demo-institute-admin', { action: 'overview', orgId: OTHER_INSTITUTE })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(await stats.call('demo-villager', { action: 'overview' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  const pub = await stats.publicFigures();
  expect(pub.year.posted).toBe((await stats.overview('demo-center-admin')).orders.posted);
  expect(JSON.stringify(pub)).not.toMatch(/demo-|1[3-9]\d{9}|赵桂英/);
});
