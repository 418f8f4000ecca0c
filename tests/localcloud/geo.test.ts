/**
 * Geo queries through the real wx-server-sdk, as CloudBase documents them on a 2dsphere index:
 * points stored as the SDK serialises db.Geo.Point, distances on the sphere in metres.
 */
import { sdkFor, startTestCloud, type TestCloud } from '../helpers/localcloud';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let cloud: TestCloud;
let db: Any;

// Around a village centre; 0.01° of latitude is about 1,113 m.
const CENTRE = [120.0, 31.0] as const;
const PLACES: [string, number, number][] = [
  ['here', 120.0, 31.0],
  ['north-1km', 120.0, 31.009],
  ['east-2km', 120.021, 31.0],
  ['far-10km', 120.0, 31.09],
];

beforeAll(async () => {
  cloud = await startTestCloud();
  cloud.engine.applyDefinitions([
    { name: 'places', indexes: [{ name: 'loc', keys: { loc: '2dsphere' } }] },
    { name: 'plain', indexes: [] },
  ]);
  db = sdkFor(cloud).database();
  for (const [_id, lng, lat] of PLACES) {
    await db
      .collection('places')
      .add({ data: { _id, kind: _id === 'far-10km' ? 'far' : 'near', loc: new db.Geo.Point(lng, lat) } });
  }
  await db.collection('plain').add({ data: { _id: 'p', loc: new db.Geo.Point(120, 31) } });
});

afterAll(async () => {
  await cloud.close();
});

const ids = async (q: Any): Promise<string[]> => ((await q.get()).data as Any[]).map((d) => d._id);

describe('geoNear', () => {
  it('answers the points within range, nearest first, and hands them back as db.Geo.Point', async () => {
    const _ = db.command;
    const q = db
      .collection('places')
      .where({ loc: _.geoNear({ geometry: new db.Geo.Point(...CENTRE), maxDistance: 3000 }) });
    expect(await ids(q)).toEqual(['here', 'north-1km', 'east-2km']);
    const [first] = (await q.get()).data;
    expect(first.loc.constructor.name).toBe('Point');
    expect([first.loc.longitude, first.loc.latitude]).toEqual([120, 31]);
    const ring = db
      .collection('places')
      .where({ loc: _.geoNear({ geometry: new db.Geo.Point(...CENTRE), minDistance: 1500, maxDistance: 20000 }) });
    expect(await ids(ring)).toEqual(['east-2km', 'far-10km']);
  });

  it('is refused without a 2dsphere index on the field, as MongoDB refuses it', async () => {
    const _ = db.command;
    await expect(
      db
        .collection('plain')
        .where({ loc: _.geoNear({ geometry: new db.Geo.Point(...CENTRE) }) })
        .get(),
    ).rejects.toMatchObject({ errMsg: expect.stringMatching(/unable to find index for \$geoNear/) });
  });
});

describe('geoWithin and geoIntersects', () => {
  it('finds the points inside a polygon', async () => {
    const _ = db.command;
    const { Point, LineString, Polygon } = db.Geo;
    const square = new Polygon([
      new LineString([
        new Point(119.995, 30.995),
        new Point(120.025, 30.995),
        new Point(120.025, 31.005),
        new Point(119.995, 31.005),
        new Point(119.995, 30.995),
      ]),
    ]);
    expect((await ids(db.collection('places').where({ loc: _.geoWithin({ geometry: square }) }))).sort()).toEqual([
      'east-2km',
      'here',
    ]);
    expect((await ids(db.collection('places').where({ loc: _.geoIntersects({ geometry: square }) }))).sort()).toEqual([
      'east-2km',
      'here',
    ]);
  });

  it('finds the points within a spherical cap (centerSphere, radius in radians)', async () => {
    const _ = db.command;
    const radians = 1500 / 6378100; // 1.5 km
    const q = db.collection('places').where({
      loc: _.geoWithin({ centerSphere: [new db.Geo.Point(...CENTRE), radians] }),
    });
    expect((await ids(q)).sort()).toEqual(['here', 'north-1km']);
  });

  it('intersects a line with the points on it', async () => {
    const _ = db.command;
    const { Point, LineString } = db.Geo;
    const road = new LineString([new Point(120.0, 30.9), new Point(120.0, 31.05)]);
    expect((await ids(db.collection('places').where({ loc: _.geoIntersects({ geometry: road }) }))).sort()).toEqual([
      'here',
      'north-1km',
    ]);
  });
});

describe('the $geoNear stage', () => {
  it('adds the distance in metres, nearest first, and filters with its query', async () => {
    const r = await db
      .collection('places')
      .aggregate()
      .geoNear({
        near: new db.Geo.Point(...CENTRE),
        distanceField: 'metres',
        maxDistance: 5000,
        query: { kind: 'near' },
        spherical: true,
      })
      .end();
    expect(r.list.map((d: Any) => d._id)).toEqual(['here', 'north-1km', 'east-2km']);
    const metres = r.list.map((d: Any) => Math.round(d.metres));
    expect(metres[0]).toBe(0);
    // 0.009° of latitude on MongoDB's sphere (radius 6378.1 km): 1,001.9 m.
    expect(metres[1]).toBe(1002);
    expect(metres[2]).toBeGreaterThan(1990);
    expect(metres[2]).toBeLessThan(2010);
  });

  it('must be the first stage', async () => {
    await expect(
      db
        .collection('places')
        .aggregate()
        .match({ kind: 'near' })
        .geoNear({ near: new db.Geo.Point(...CENTRE), distanceField: 'd', spherical: true })
        .end(),
    ).rejects.toMatchObject({ errMsg: expect.stringMatching(/first stage/) });
  });
});

describe('a 2dsphere index', () => {
  it('refuses a document whose indexed field is not GeoJSON, and stores nothing', async () => {
    await expect(db.collection('places').add({ data: { _id: 'bad', loc: [120, 31, 'x'] } })).rejects.toMatchObject({
      errMsg: expect.stringMatching(/Can't extract geo keys/),
    });
    expect(await ids(db.collection('places').where({ _id: 'bad' }))).toEqual([]);
  });

  it('narrows a geo query with a bounded area to the documents near it, and follows moves and removals', async () => {
    const near = (max?: number) => ({
      loc: { $nearSphere: { $geometry: { type: 'Point', coordinates: [...CENTRE] }, $maxDistance: max } },
    });
    // geoNear walks outwards on the index (geo-walk.test.ts), bounded or not; geoWithin reads its area.
    expect(cloud.engine.explain('places', near(3000)).index).toBe('loc (2dsphere, nearest first)');
    expect(cloud.engine.explain('places', near()).index).toBe('loc (2dsphere, nearest first)');
    const cap = { loc: { $geoWithin: { $centerSphere: [[...CENTRE], 3000 / 6378100] } } };
    expect(cloud.engine.explain('places', cap).index).toBe('loc (2dsphere)');
    const _ = db.command;
    await db.collection('places').add({ data: { _id: 'moving', kind: 'near', loc: new db.Geo.Point(120.001, 31.0) } });
    const within3km = () =>
      ids(
        db.collection('places').where({ loc: _.geoNear({ geometry: new db.Geo.Point(...CENTRE), maxDistance: 3000 }) }),
      );
    expect(await within3km()).toContain('moving');
    await db
      .collection('places')
      .doc('moving')
      .update({ data: { loc: new db.Geo.Point(121.0, 31.0) } });
    expect(await within3km()).not.toContain('moving');
    await db
      .collection('places')
      .doc('moving')
      .update({ data: { loc: new db.Geo.Point(120.0, 31.001) } });
    expect(await within3km()).toContain('moving');
    await db.collection('places').doc('moving').remove();
    expect(await within3km()).toEqual(['here', 'north-1km', 'east-2km']);
  });
});
