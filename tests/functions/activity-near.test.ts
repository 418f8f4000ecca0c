/**
 * Nearby activities (`activity.list` scope near) through the local cloud: one geoNear on the
 * activities' `geo` within 3 km of the caller. Points are made by the station head at known distances
 * due north of the caller (so each distance is exact), in a corner of the province the demo has nothing
 * in: what is listed is only what the test made.
 */
import type { Result } from '../../typings/errors';
import type { OrgApi } from '../../typings/api';
import { EARTH_RADIUS_M } from '../../cloudfunctions/shared/org/domain/geo';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { activityClient, HEAD, VOLUNTEER } from '../helpers/activities';

let cloud: TestCloud;
let act: ReturnType<typeof activityClient>;
const base = new Date('2026-06-01T00:00:00.000Z');
const MIN = 60_000;
/** The caller, 3 km from nothing of the demo's. */
const HERE = { lat: 34.2, lng: 118.6 };
/** The place `m` metres due north of HERE: on one meridian the sphere's distance is R × Δlat exactly. */
const north = (m: number) => ({ lat: HERE.lat + (m / EARTH_RADIUS_M) * (180 / Math.PI), lng: HERE.lng });

async function pointAt(name: string, m: number): Promise<string> {
  const r = await cloud.call<Result<OrgApi['create']['res']>>(
    'org',
    { action: 'create', parentId: 'haian-01-001', name, location: north(m), kind: 'square' },
    HEAD,
  );
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data.id;
}

const near = (at = HERE) => act.ok(act.call(VOLUNTEER, { action: 'list', scope: 'near', lat: at.lat, lng: at.lng }));

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  act = activityClient(cloud);
  await cloud.setClock(base.toISOString());
});

afterAll(async () => {
  await cloud.close();
});

it('writes the place as GeoJSON when an activity is created', async () => {
  // 50 km away: not near the caller of the next test.
  const point = await pointAt('五十公里外广场', 50_000);
  const id = await act.create(base, { pointId: point });
  const [doc] = cloud.engine.find('activities', { query: { _id: id } });
  const at = north(50_000);
  expect(doc.geo).toEqual({ type: 'Point', coordinates: [at.lng, at.lat] });
});

it('lists upcoming open activities within 3 km, nearest first with each distance, and nothing else', async () => {
  const [p500, p1500, p2990, p3010] = [
    await pointAt('五百米广场', 500),
    await pointAt('一千五百米广场', 1500),
    await pointAt('两千九百九十米广场', 2990),
    await pointAt('三千零十米广场', 3010),
  ];
  // Created out of distance order, so the order listed is the index's, not the insertion's.
  const mid = await act.create(base, { pointId: p1500, title: '一千五百米' }, 24 * 60);
  const edge = await act.create(base, { pointId: p2990, title: '两千九百九十米' }, 24 * 60);
  const close = await act.create(base, { pointId: p500, title: '五百米' }, 24 * 60);
  const outside = await act.create(base, { pointId: p3010, title: '三千零十米' }, 24 * 60);
  const cancelled = await act.create(base, { pointId: p500, title: '取消了' }, 24 * 60);
  await act.ok(act.call(HEAD, { action: 'cancel', id: cancelled, reason: '下雨' }));
  // Starts in ten minutes, ends twenty minutes later: over once the clock moves an hour on.
  const ended = await act.create(
    base,
    { pointId: p500, title: '结束了', endAt: new Date(base.getTime() + 30 * MIN).toISOString() },
    10,
  );

  const before = await near();
  expect(before.activities.map((a) => a.id)).toContain(ended);

  await cloud.setClock(new Date(base.getTime() + 60 * MIN).toISOString());
  const r = await near();
  expect(r.activities.map((a) => [a.id, a.distanceM])).toEqual([
    [close, 500],
    [mid, 1500],
    [edge, 2990],
  ]);
  // Not the one 3,010 m away, nor the cancelled one, nor the one that has ended.
  for (const gone of [outside, cancelled, ended]) expect(r.activities.map((a) => a.id)).not.toContain(gone);
  expect(r.nextPage).toBeNull();
});

it('asks for the caller’s place', async () => {
  const r = await act.call(VOLUNTEER, { action: 'list', scope: 'near' });
  expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
});
