/**
 * The task hall's paging over geoNear (domain/hall.ts): whatever order the database hands back orders
 * at the same distance in (geoNear breaks no ties), the pages put together are the whole hall in one
 * order — nearest first, then newest, then by id — each order once, with or without a radius, with
 * the orders without a place after the placed ones.
 */
import { distanceM } from '../../cloudfunctions/shared/org/domain/geo';
import { byHallOrder, hallPage, HALL_PAGE, type HallReaders } from '../../cloudfunctions/shared/order/domain/hall';
import type { OrderDoc } from '../../cloudfunctions/shared/order/domain/model';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HERE = { lat: 32.5, lng: 120.5 };
const T0 = Date.parse('2026-11-20T08:00:00Z');

/** Orders at a few places (many at each: a practice point), some without a place, few distinct times. */
function ordersOf(rand: () => number, n: number): OrderDoc[] {
  const spots = [0.3, 1.2, 1.2001, 2.5, 4.9].map((km) => ({ lat: HERE.lat + km / 111.2, lng: HERE.lng }));
  return Array.from({ length: n }, (_v, i) => {
    const at = rand() < 0.1 ? null : spots[Math.floor(rand() * spots.length)];
    return {
      _id: `o${String(i).padStart(3, '0')}`,
      lat: at?.lat ?? null,
      lng: at?.lng ?? null,
      createdAt: new Date(T0 + Math.floor(rand() * 4) * 60_000),
    } as unknown as OrderDoc;
  });
}

/** A database that answers as geoNear does: by exact distance, ties in any order, at most `limit`. */
function readers(all: OrderDoc[], rand: () => number): HallReaders & { reads: number } {
  const exact = (o: OrderDoc) => distanceM(HERE, { lat: o.lat!, lng: o.lng! });
  const r = {
    reads: 0,
    async nearest(limit: number, { minM = 0, maxM = Infinity }: { minM?: number; maxM?: number }) {
      r.reads += 1;
      return all
        .filter((o) => o.lat !== null && exact(o) >= minM && exact(o) <= maxM)
        .map((o) => ({ o, k: rand() }))
        .sort((a, b) => exact(a.o) - exact(b.o) || a.k - b.k)
        .slice(0, limit)
        .map(({ o }) => o);
    },
    async newest(skip: number, limit: number, unplaced: boolean) {
      r.reads += 1;
      return all
        .filter((o) => !unplaced || o.lat === null)
        .sort((a, b) => +b.createdAt - +a.createdAt || (a._id < b._id ? -1 : 1))
        .slice(skip, skip + limit);
    },
  };
  return r;
}

async function everyPage(all: OrderDoc[], withinM: number | undefined, rand: () => number) {
  const db = readers(all, rand);
  const seen: { id: string; d?: number }[] = [];
  for (let p = 0; ; p += 1) {
    const { items, more } = await hallPage(p, HERE, withinM, db);
    expect(items.length).toBeLessThanOrEqual(HALL_PAGE);
    if (more) expect(items).toHaveLength(HALL_PAGE);
    seen.push(...items.map(({ o, d }) => ({ id: o._id, d })));
    if (!more) return { seen, reads: db.reads, pages: p + 1 };
  }
}

function expected(all: OrderDoc[], withinM?: number): string[] {
  return all
    .map((o) => ({ o, d: o.lat === null ? undefined : Math.round(distanceM(HERE, { lat: o.lat, lng: o.lng! })) }))
    .filter(({ d }) => withinM === undefined || (d !== undefined && d <= withinM))
    .sort(byHallOrder)
    .map(({ o }) => o._id);
}

describe('the hall pages', () => {
  it.each([
    ['no radius', undefined, 1],
    ['within 1 km', 1000, 2],
    ['within 3 km', 3000, 3],
    ['within 5 km', 5000, 4],
  ])('neither skip nor repeat orders at one distance (%s)', async (_name, withinM, seed) => {
    for (const n of [0, 19, 20, 21, 87, 203]) {
      const rand = rng(seed * 1000 + n);
      const all = ordersOf(rand, n);
      const { seen } = await everyPage(all, withinM, rand);
      expect(seen.map((s) => s.id)).toEqual(expected(all, withinM));
    }
  });

  it('cut a page inside a group at one distance, and still show each order of it once', async () => {
    const rand = rng(7);
    // 50 orders at one practice point 1.2 km away, posted at the same minute: only the id orders them.
    const all = ordersOf(rand, 50).map((o) => ({
      ...o,
      lat: HERE.lat + 1.2 / 111.2,
      lng: HERE.lng,
      createdAt: new Date(T0),
    }));
    const { seen, pages } = await everyPage(all, 3000, rand);
    expect(pages).toBe(3);
    expect(new Set(seen.map((s) => s.d)).size).toBe(1);
    expect(seen.map((s) => s.id)).toEqual(all.map((o) => o._id).sort());
  });

  it('read once when the hall within a radius holds less than a page', async () => {
    const rand = rng(8);
    const all = ordersOf(rand, 10).map((o, i) => ({ ...o, lat: HERE.lat + (0.1 + i * 0.1) / 111.2, lng: HERE.lng }));
    const db = readers(all, rand);
    const { items, more } = await hallPage(0, HERE, 3000, db);
    expect(items.map(({ o }) => o._id)).toEqual(expected(all, 3000));
    expect(more).toBe(false);
    expect(db.reads).toBe(1);
  });

  it('read once when the group at the page end ends within the page read beyond it', async () => {
    const rand = rng(10);
    // Groups of six orders at one place each, 100 m apart: page 0 ends inside the fourth group.
    const all = ordersOf(rand, 60).map((o, i) => ({
      ...o,
      lat: HERE.lat + (0.1 + Math.floor(i / 6) * 0.1) / 111.2,
      lng: HERE.lng,
    }));
    const db = readers(all, rand);
    const { items, more } = await hallPage(0, HERE, undefined, db);
    expect(items.map(({ o }) => o._id)).toEqual(expected(all).slice(0, HALL_PAGE));
    expect(more).toBe(true);
    expect(db.reads).toBe(1);
  });

  it('without a place of the caller: newest first', async () => {
    const rand = rng(9);
    const all = ordersOf(rand, 45);
    const db = readers(all, rand);
    const ids: string[] = [];
    for (let p = 0; p < 3; p += 1) ids.push(...(await hallPage(p, null, 3000, db)).items.map(({ o }) => o._id));
    expect(ids).toEqual(
      [...all].sort((a, b) => +b.createdAt - +a.createdAt || (a._id < b._id ? -1 : 1)).map((o) => o._id),
    );
  });
});
