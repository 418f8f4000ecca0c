/**
 * The engine's geo path with other conditions, as MongoDB answers it on a compound 2dsphere index:
 * an equality or $in on the index's other fields narrows the rows read to the documents that match
 * them, and geoNear walks outwards, reading only as far as its limit needs. Whatever it reads, it
 * answers exactly what reading the whole collection answers (mingo's match, sorted by distance).
 */
import fs from 'node:fs';
import { Query } from 'mingo';
import { Engine } from '../../localcloud/db/engine';
import { distance } from '../../localcloud/db/geo';
import { tempDir } from '../helpers/localcloud';

type Doc = Record<string, unknown>;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const dir = tempDir('wm-geowalk-');
const rand = rng(20261201);
const CENTRE: [number, number] = [120.0, 31.0];
const STATUSES = ['open', 'closed', 'dispatched'] as const;
const OWNERS = ['a', 'b', 'c', 'd'] as const;
let engine: Engine;
let docs: Doc[];

/** Rows the engine reads (SQLite rows fetched and tested), counted as the benchmark counts them. */
let read = 0;

const point = (lng: number, lat: number) => ({ type: 'Point', coordinates: [lng, lat] });
const near = (max?: number, min?: number, at = CENTRE) => ({
  $nearSphere: { $geometry: point(...at), $maxDistance: max, $minDistance: min },
});
const metres = (d: Doc) => distance((d.geo as { coordinates: [number, number] }).coordinates, CENTRE);

/** What reading everything answers: mingo's matches (without the geo condition) in the range, nearest first. */
function expected(rest: Doc, min = 0, max = Infinity): string[] {
  const q = new Query(rest);
  return docs
    .filter((d) => d.geo && q.test(d))
    .map((d) => ({ id: d._id as string, m: metres(d) }))
    .filter(({ m }) => m >= min && m <= max)
    .sort((a, b) => a.m - b.m)
    .map(({ id }) => id);
}

const ids = (found: Doc[]) => found.map((d) => d._id as string);

beforeAll(() => {
  engine = new Engine(dir);
  engine.applyDefinitions([
    {
      name: 'orders',
      indexes: [
        { name: 'geo', keys: { geo: '2dsphere' } },
        { name: 'status_owner_geo', keys: { status: 1, ownerOrgId: 1, geo: '2dsphere' } },
      ],
    },
  ]);
  // 3,000 orders within about 20 km, at distinct distances; some without a place; some tagged.
  docs = Array.from({ length: 3000 }, (_v, i) => {
    const placed = i % 50 !== 0;
    const r = 20_000 * Math.sqrt(rand());
    const t = 2 * Math.PI * rand();
    const lat = CENTRE[1] + (r * Math.sin(t)) / 111_320;
    const lng = CENTRE[0] + (r * Math.cos(t)) / (111_320 * Math.cos((CENTRE[1] * Math.PI) / 180));
    return {
      _id: `o${String(i).padStart(4, '0')}`,
      status: STATUSES[i % 3],
      ownerOrgId: OWNERS[Math.floor(rand() * OWNERS.length)],
      tags: i % 7 === 0 ? ['x', 'y'] : ['z'],
      geo: placed ? point(lng, lat) : null,
    };
  });
  engine.insert('orders', docs);
  const e = engine as unknown as { rows: (p: unknown) => Iterable<unknown> };
  const rows = e.rows.bind(engine);
  e.rows = function* (p: unknown) {
    for (const row of rows(p)) {
      read += 1;
      yield row;
    }
  };
});

afterAll(() => {
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function reading<T>(fn: () => T): { value: T; rows: number } {
  read = 0;
  const value = fn();
  return { value, rows: read };
}

describe('a compound 2dsphere index', () => {
  it('reads only the documents within the circle whose other fields match', () => {
    const rest = { status: 'open', ownerOrgId: { $in: ['a', 'b'] } };
    const within = { geo: { $geoWithin: { $centerSphere: [CENTRE, 5000 / 6378100] } } };
    const { value, rows } = reading(() => engine.find('orders', { query: { ...rest, ...within }, limit: 1000 }));
    expect(engine.explain('orders', { ...rest, ...within }).index).toBe('status_owner_geo (2dsphere)');
    expect(ids(value).sort()).toEqual(expected(rest, 0, 5000).sort());
    expect(value.length).toBeGreaterThan(20);
    // The circle's box, not the circle: its corners hold a few more, and they match the other fields.
    expect(rows).toBeLessThan(1.5 * value.length);
    // The plain index reads every order in the circle, whatever its status and owner.
    const plain = reading(() => engine.find('orders', { query: within, limit: 1000 }));
    expect(plain.rows).toBeGreaterThan(4 * rows);
  });

  it('follows a change of the other fields, and keeps no entry for a document without a place', () => {
    const q = { status: 'open', ownerOrgId: 'a', geo: near(2000) };
    const [first] = engine.find('orders', { query: q, limit: 1 });
    engine.update('orders', {
      query: { _id: first._id },
      update: { $set: { status: 'closed' } },
      multi: false,
      upsert: false,
      merge: true,
    });
    expect(ids(engine.find('orders', { query: q, limit: 1000 }))).not.toContain(first._id);
    expect(ids(engine.find('orders', { query: { ...q, status: 'closed' }, limit: 1000 }))).toContain(first._id);
    engine.update('orders', {
      query: { _id: first._id },
      update: { $set: { status: 'open' } },
      multi: false,
      upsert: false,
      merge: true,
    });
    expect(engine.find('orders', { query: q, limit: 1 })[0]._id).toBe(first._id);
    expect(engine.count('orders', { geo: near() })).toBe(docs.filter((d) => d.geo).length);
  });

  it('is refused with two 2dsphere fields, or more other fields than the tree has dimensions', () => {
    expect(() => engine.createIndex('orders', { name: 'two', keys: { geo: '2dsphere', other: '2dsphere' } })).toThrow(
      /one 2dsphere field/,
    );
    expect(() =>
      engine.createIndex('orders', { name: 'wide', keys: { a: 1, b: 1, c: 1, d: 1, geo: '2dsphere' } }),
    ).toThrow(/at most 3 others/);
  });
});

describe('geoNear walks outwards', () => {
  it('reads only as far as its limit needs, and answers the nearest', () => {
    const rest = { status: 'open', ownerOrgId: { $in: ['a', 'c'] } };
    const { value, rows } = reading(() => engine.find('orders', { query: { ...rest, geo: near() }, limit: 5 }));
    expect(ids(value)).toEqual(expected(rest).slice(0, 5));
    expect(engine.explain('orders', { ...rest, geo: near() }).index).toBe('status_owner_geo (2dsphere, nearest first)');
    // Of about 500 matching orders over 20 km, the first rounds hold the five nearest.
    expect(rows).toBeLessThan(60);
  });

  it('answers what reading everything answers, for any skip, limit, range and filter', () => {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    for (let i = 0; i < 80; i += 1) {
      const rest: Doc = {};
      if (rand() < 0.7) rest.status = pick(STATUSES);
      if (rand() < 0.5) rest.ownerOrgId = { $in: [pick(OWNERS), pick(OWNERS)] };
      if (rand() < 0.2) rest.tags = 'x';
      const min = rand() < 0.3 ? Math.round(rand() * 8000) : undefined;
      const max = rand() < 0.5 ? Math.round((min ?? 0) + rand() * 12000) : undefined;
      const at: [number, number] = [CENTRE[0] + (rand() - 0.5) * 0.2, CENTRE[1] + (rand() - 0.5) * 0.2];
      const skip = pick([0, 0, 3, 40]);
      const limit = pick([1, 5, 21, 100, 1000]);
      const query = { ...rest, geo: near(max, min, at) };
      const got = ids(engine.find('orders', { query, skip, limit }));
      const all = docs
        .filter((d) => d.geo && new Query(rest).test(d))
        .map((d) => ({
          id: d._id as string,
          m: distance((d.geo as { coordinates: [number, number] }).coordinates, at),
        }))
        .filter(({ m }) => m >= (min ?? 0) && m <= (max ?? Infinity))
        .sort((a, b) => a.m - b.m)
        .map(({ id }) => id);
      expect({ query, skip, limit, got }).toEqual({ query, skip, limit, got: all.slice(skip, skip + limit) });
      expect(engine.count('orders', query)).toBe(all.length);
    }
  });

  it('does not read inside minDistance', () => {
    const rest = { status: 'open' };
    const ring = reading(() => engine.find('orders', { query: { ...rest, geo: near(10_200, 10_000) }, limit: 1000 }));
    expect(ids(ring.value)).toEqual(expected(rest, 10_000, 10_200));
    const disc = reading(() => engine.find('orders', { query: { ...rest, geo: near(10_200) }, limit: 1000 }));
    expect(ring.rows).toBeLessThan(disc.rows * 0.75);
  });
});
