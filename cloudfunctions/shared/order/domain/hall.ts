/**
 * The task hall's pages, nearest first, from geoNear reads. Plain functions over two readers, no SDK.
 *
 * The hall's order: distance in whole metres (as shown), then newest first, then by id. geoNear sorts
 * by exact distance and breaks no ties, so a page cut inside a group of orders at the same shown
 * distance (orders posted at one practice point are all at one distance) could show a different
 * part of the group on each call: the hall reads the nearest (p + 2) × 20 + 1 (a page more than it
 * shows), keeps those nearer than the farthest one's distance, and only when the page reaches into
 * that distance's group reads the whole group by a ring (minDistance to maxDistance, half a metre
 * either side) before it sorts and cuts. So page p is always positions [20p, 20p + 20) of one total
 * order: paging neither skips nor repeats, whatever order ties come in.
 */
import { distanceM } from '../../org/domain/geo';
import type { OrderDoc } from './model';

export const HALL_PAGE = 20;
/** The most a read answers (CloudBase's limit in cloud functions): the hall pages through the nearest 1,000. */
export const HALL_READ_MAX = 1000;

type Place = { lat: number; lng: number };

export interface HallReaders {
  /** Matching orders with a place, nearest first (geoNear), at most `limit`, within [minM, maxM]. */
  nearest(limit: number, range: { minM?: number; maxM?: number }): Promise<OrderDoc[]>;
  /** Matching orders newest first, then by id; `unplaced`: only those without a place. */
  newest(skip: number, limit: number, unplaced: boolean): Promise<OrderDoc[]>;
}

export interface HallItem {
  o: OrderDoc;
  /** Whole metres from the caller; undefined for an order without a place (or a caller without one). */
  d?: number;
}

export function byHallOrder(a: HallItem, b: HallItem): number {
  return (
    (a.d ?? Infinity) - (b.d ?? Infinity) ||
    +new Date(b.o.createdAt) - +new Date(a.o.createdAt) ||
    (a.o._id < b.o._id ? -1 : a.o._id > b.o._id ? 1 : 0)
  );
}

const placed = (here: Place, o: OrderDoc): HallItem => ({
  o,
  d: o.lat !== null && o.lng !== null ? Math.round(distanceM(here, { lat: o.lat, lng: o.lng })) : undefined,
});

/**
 * Page `p` of the hall. With a place: nearest first, within `withinM` when given; without a radius,
 * the orders without a place follow, newest first. Without a place: newest first.
 */
export async function hallPage(
  p: number,
  here: Place | null,
  withinM: number | undefined,
  read: HallReaders,
): Promise<{ items: HallItem[]; more: boolean }> {
  const start = p * HALL_PAGE;
  const need = start + HALL_PAGE + 1;
  if (!here) {
    const got = await read.newest(start, HALL_PAGE + 1, false);
    return { items: got.slice(0, HALL_PAGE).map((o) => ({ o })), more: got.length > HALL_PAGE };
  }
  // The next page must be readable too: the hall pages through the nearest HALL_READ_MAX.
  const page = (items: HallItem[], more: boolean) => ({ items, more: more && need + HALL_PAGE <= HALL_READ_MAX });
  if (need > HALL_READ_MAX) return page([], false);
  // A page more than needed: a group at one distance cut by the page's end is then mostly whole.
  const reach = Math.min(need + HALL_PAGE, HALL_READ_MAX);
  const first = (await read.nearest(reach, { maxM: withinM })).map((o) => placed(here, o));
  if (first.length === reach) {
    // More lie beyond. What is nearer than the farthest read one's distance is whole; when the page
    // reaches into that distance's group, the rest of the group is read by a ring around it.
    const edge = first[reach - 1].d!;
    let all = first.filter((x) => x.d! < edge);
    if (all.length < need) {
      const ring = await read.nearest(HALL_READ_MAX, {
        minM: Math.max(0, edge - 0.5),
        maxM: withinM === undefined ? edge + 0.5 : Math.min(withinM, edge + 0.5),
      });
      const ids = new Set<string>();
      all = [...first, ...ring.map((o) => placed(here, o))].filter((x) => {
        if (x.d! > edge || ids.has(x.o._id)) return false;
        ids.add(x.o._id);
        return true;
      });
    }
    return page(all.sort(byHallOrder).slice(start, start + HALL_PAGE), true);
  }
  const all = first.sort(byHallOrder);
  if (withinM !== undefined || all.length >= need) {
    return page(all.slice(start, start + HALL_PAGE), all.length > start + HALL_PAGE);
  }
  // Every placed order is read (all.length of them); those without a place follow, newest first.
  const from = Math.max(0, start - all.length);
  const rest = await read.newest(from, need - Math.max(all.length, start), true);
  const items = [...all.slice(start), ...rest.map((o) => ({ o }))];
  return page(items.slice(0, HALL_PAGE), items.length > HALL_PAGE);
}
