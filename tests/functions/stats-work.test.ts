/**
 * The command center's figures follow the rest of the work: a check-in and its hours, a redemption in
 * the points supermarket and a volunteer's approval move the figures of their station and every node
 * above it, and of no other node; the county's assessment follows its method, which only the center sets.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { volunteerAt } from '../helpers/people';
import { activityClient, at } from '../helpers/activities';
import { integralClient, VILLAGER } from '../helpers/integral';
import { statsClient } from '../helpers/stats';
import type { Figures } from '../../typings/stats';
import { DEMO_METHOD } from '../../cloudfunctions/shared/stats/domain/assessment';

jest.setTimeout(120_000);

let cloud: TestCloud;
const base = new Date('2026-06-01T00:00:00.000Z');
const VOLUNTEER = 'stats-volunteer';
// Up to the clock's day: a period may not end after today (shared/stats/domain/period.ts).
const PERIOD = { from: '2026-01-01', to: '2026-06-01' };
const NODES = {
  center: 'haian',
  institute: 'haian-01',
  station: 'haian-01-001',
  sibling: 'haian-01-002',
  other: 'haian-02',
};

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  await cloud.setClock(base.toISOString());
  volunteerAt(cloud, VOLUNTEER, 'haian-01-001', ['health'], '周志愿');
});

afterAll(async () => {
  await cloud.close();
});

const pick = (f: Figures) => ({
  checkins: f.activities.checkins,
  recordedMinutes: f.hours.recordedMinutes,
  active: f.volunteers.active,
  registered: f.volunteers.registered,
  redeemed: f.points.redeemed,
});

async function watched() {
  const stats = statsClient(cloud);
  const entries = await Promise.all(
    Object.entries(NODES).map(async ([k, orgId]) => [
      k,
      pick(await stats.overview('demo-center-admin', { orgId, ...PERIOD })),
    ]),
  );
  return Object.fromEntries(entries) as Record<keyof typeof NODES, ReturnType<typeof pick>>;
}

function moved(before: Awaited<ReturnType<typeof watched>>, after: Awaited<ReturnType<typeof watched>>) {
  return Object.fromEntries(
    Object.entries(after).map(([node, f]) => [
      node,
      Object.fromEntries(
        Object.entries(f)
          .map(([k, v]) => [k, v - before[node as keyof typeof NODES][k as keyof typeof f]])
          .filter(([, v]) => v !== 0),
      ),
    ]),
  );
}

test('a check-in, its hours and a redemption move the station and the nodes above it only', async () => {
  const before = await watched();
  const act = activityClient(cloud);
  const id = await act.create(base, { title: '统计健康义诊', capacity: 5 });
  await act.ok(act.call(VOLUNTEER, { action: 'signup', id }));
  await cloud.setClock(at(base, 125));
  const point = cloud.engine.find('orgs', { query: { _id: 'haian-01-001-01' } })[0] as { lat: number; lng: number };
  const scene = await act.scene(id);
  await act.ok(act.scan(VOLUNTEER, scene, { location: { lat: point.lat, lng: point.lng } }));
  // A retried scan is 'already': nothing counts twice.
  await act.ok(act.scan(VOLUNTEER, scene));
  await cloud.setClock(at(base, 215));
  await act.ok(act.scan(VOLUNTEER, await act.scene(id)));

  const points = integralClient(cloud);
  const item = await points.item(3, 10, '统计香皂');
  await points.ok(points.call(VILLAGER, { action: 'redeem', itemId: item, requestId: 'stats-redeem-0001' }));
  await points.ok(points.call(VILLAGER, { action: 'redeem', itemId: item, requestId: 'stats-redeem-0001' }));

  // The check-in is counted by the timer (one transaction for a batch: a surge of scans never meets on
  // a figure document); its hours were counted at check-out, in that transaction.
  const early = moved(before, await watched());
  expect(early.station).toEqual({ recordedMinutes: 90, redeemed: 3 });
  // Two timer runs at once: each check-in is counted by one of them, never twice.
  await Promise.all([cloud.call('cron', { budgetMs: 20_000 }), cloud.call('cron', { budgetMs: 20_000 })]);

  const up = { checkins: 1, recordedMinutes: 90, active: 1, redeemed: 3 };
  expect(moved(before, await watched())).toEqual({
    center: up,
    institute: up,
    station: up,
    sibling: {},
    other: {},
  });
});

test('a volunteer’s approval counts them registered at their station and above', async () => {
  const before = await watched();
  const openid = 'stats-applicant';
  await cloud.call('user', { action: 'login' }, openid);
  const reg = await cloud.call<{ ok: boolean }>(
    'user',
    {
      action: 'registerVolunteer',
      name: '吴报名',
      phone: '13900002222',
      skills: ['health'],
      stationIds: [NODES.station],
    },
    openid,
  );
  expect(reg).toMatchObject({ ok: true });
  const approve = { action: 'reviewVolunteer', openid, stationId: NODES.station, approve: true };
  expect(await cloud.call('user', approve, 'demo-station-head')).toMatchObject({ ok: true });
  // A retried approval counts nothing again.
  expect(await cloud.call('user', approve, 'demo-station-head')).toMatchObject({ ok: true });
  const up = { registered: 1 };
  expect(moved(before, await watched())).toEqual({ center: up, institute: up, station: up, sibling: {}, other: {} });
});

test('the assessment ranks the institutes under the method only the center sets', async () => {
  const stats = statsClient(cloud);
  const table = await stats.ok(stats.call('demo-center-admin', { action: 'assessment', ...PERIOD }));
  expect(table.method.indicators).toEqual(DEMO_METHOD.indicators);
  expect(table.rows.length).toBeGreaterThan(1);
  expect(table.rows.every((r) => r.level === 'institute')).toBe(true);
  const scores = table.rows.map((r) => r.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  for (const r of table.rows)
    expect(r.score).toBeCloseTo(
      r.parts.reduce((a, p) => a + p.score, 0),
      1,
    );

  const stations = await stats.ok(stats.call('demo-institute-admin', { action: 'assessment', ...PERIOD }));
  expect(stations.rows.every((r) => r.level === 'station')).toBe(true);

  const indicators = [
    { key: 'fulfilmentRate' as const, weight: 70, target: 0.9 },
    { key: 'ratingAverage' as const, weight: 30, target: 4.5 },
  ];
  expect(await stats.call('demo-institute-admin', { action: 'setAssessment', indicators })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  const bad = await stats.call('demo-center-admin', {
    action: 'setAssessment',
    indicators: [{ key: 'fulfilmentRate', weight: 60, target: 0.9 }],
  });
  expect(bad).toMatchObject({
    ok: false,
    error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('100') },
  });
  const set = await stats.ok(stats.call('demo-center-admin', { action: 'setAssessment', indicators }));
  expect(set).toMatchObject({ indicators, updatedBy: 'demo-center-admin' });
  const after = await stats.ok(stats.call('demo-center-admin', { action: 'assessment', ...PERIOD }));
  expect(after.rows[0].parts.map((p) => p.key)).toEqual(['fulfilmentRate', 'ratingAverage']);
  expect(await stats.call('demo-station-head', { action: 'assessment', orgId: NODES.sibling })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
});
