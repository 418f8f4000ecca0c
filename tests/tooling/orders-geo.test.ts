/**
 * `npm run orders:geo` against a local cloud: orders and activities stored before the `geo` field get
 * their GeoJSON point (or null without a place), are then found by geoNear on the 2dsphere index, and
 * a second run changes nothing.
 */
import { runScript } from '../helpers/process';
import { sdkFor, startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

describe('npm run orders:geo', () => {
  it('gives old orders their point once, so geoNear finds them', async () => {
    const [a, b] = cloud.engine.find('orders', { query: { lat: { $ne: null } }, limit: 2 });
    // Two orders as stored before the field: one with a place, one without.
    cloud.engine.update('orders', {
      query: { _id: a._id },
      update: { $unset: { geo: '' } },
      multi: false,
      upsert: false,
      merge: true,
    });
    cloud.engine.update('orders', {
      query: { _id: b._id },
      update: { $unset: { geo: '' }, $set: { lat: null, lng: null } },
      multi: false,
      upsert: false,
      merge: true,
    });
    const first = await runScript(cloud.url, 'orders-geo.ts');
    expect(first.out).toContain('2 order(s) without geo: 1 given their point, 1 without a place (geo null)');
    expect(first.out).toContain('0 activity(ies) without geo');
    expect(first.code).toBe(0);

    const db = sdkFor(cloud).database();
    const near = await db
      .collection('orders')
      .where({
        _id: a._id,
        geo: db.command.geoNear({ geometry: new db.Geo.Point(a.lng as number, a.lat as number), maxDistance: 1 }),
      })
      .get();
    expect((near as { data: { _id: string }[] }).data.map((o) => o._id)).toEqual([a._id]);
    const [without] = cloud.engine.find('orders', { query: { _id: b._id } });
    expect(without.geo).toBeNull();

    const again = await runScript(cloud.url, 'orders-geo.ts');
    expect(again.out).toContain('0 order(s) without geo');
  });

  it('gives old activities their point once, so geoNear finds them', async () => {
    const [a, b] = cloud.engine.find('activities', { query: { lat: { $ne: null } }, limit: 2 });
    const unset = (id: unknown, more: Record<string, unknown> = {}) =>
      cloud.engine.update('activities', {
        query: { _id: id },
        update: { $unset: { geo: '' }, ...more },
        multi: false,
        upsert: false,
        merge: true,
      });
    unset(a._id);
    unset(b._id, { $set: { lat: null, lng: null } });
    const first = await runScript(cloud.url, 'orders-geo.ts');
    expect(first.out).toContain('0 order(s) without geo');
    expect(first.out).toContain('2 activity(ies) without geo: 1 given their point, 1 without a place (geo null)');
    expect(first.code).toBe(0);

    const db = sdkFor(cloud).database();
    const near = await db
      .collection('activities')
      .where({
        _id: a._id,
        geo: db.command.geoNear({ geometry: new db.Geo.Point(a.lng as number, a.lat as number), maxDistance: 1 }),
      })
      .get();
    expect((near as { data: { _id: string }[] }).data.map((o) => o._id)).toEqual([a._id]);
    const [without] = cloud.engine.find('activities', { query: { _id: b._id } });
    expect(without.geo).toBeNull();

    const again = await runScript(cloud.url, 'orders-geo.ts');
    expect(again.out).toContain('0 activity(ies) without geo');
  });
});
