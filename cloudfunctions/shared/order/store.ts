/**
 * The order capability's store: the only module that reads and writes its collections — `orders`, the
 * order settings in `config`, and who saw which contact in `reveals`. Volunteers' counters change through
 * the user store, in the same transaction. Contact reveals, a person's own records and the exports'
 * reader go on in store-records.ts.
 */
import { isDuplicateKey } from '../runtime/errors';
import { ACTIVE_STATUSES, DEFAULT_ORDER_SETTINGS, type OrderSettings, type OrderStatus } from '../../../typings/order';
import type { Category } from '../../../typings/domain';
import { database, listOf, updatedCount } from '../runtime/sdk';
import { withTransaction, type TxOps } from '../runtime/transaction';
import { distanceM } from '../org/domain/geo';
import { changeCounters } from '../user/store';
import { sealed } from '../runtime/phones';
import { raiseFigures } from '../stats/store';
import { movesFigures, orderRaises } from '../stats/domain/orders';
import { addHoursInTransaction } from '../activity/store-hours';
import { applied, type Change } from './domain/decide';
import type { EventDoc, OrderDoc } from './domain/model';
import type { HallReaders } from './domain/hall';

export const orders = () => database().collection('orders');
export const _ = () => database().command;

export const SETTINGS_ID = 'order-settings';

export async function loadSettings(): Promise<OrderSettings> {
  const [doc] = await listOf<{ settings: OrderSettings }>(
    database().collection('config').where({ _id: SETTINGS_ID }).limit(1),
  );
  // Settings saved before a setting existed take its default.
  return { ...DEFAULT_ORDER_SETTINGS, ...doc?.settings };
}

export async function saveSettings(settings: OrderSettings, by: string, at: Date): Promise<void> {
  await database()
    .collection('config')
    .doc(SETTINGS_ID)
    .set({ data: { settings, updatedBy: by, updatedAt: at } });
}

export async function findOrder(id: string): Promise<OrderDoc | undefined> {
  const [o] = await listOf<OrderDoc>(orders().where({ _id: id }).limit(1));
  return o;
}

export async function findByRequestKey(requestKey: string): Promise<OrderDoc | undefined> {
  const [o] = await listOf<OrderDoc>(orders().where({ requestKey }).limit(1));
  return o;
}

/**
 * Inserts a new order (the contact's phone sealed) and counts it posted in the same transaction; a
 * concurrent retry of the same request finds the one that won (the unique requestKey), and is not
 * counted again. `attach` runs first in the same transaction: the fence on the nodes the order attaches
 * to (org store's attachTo), which refuses (throws) when one was retired.
 */
export async function insertOrder(doc: OrderDoc, attach: (tx: TxOps) => Promise<void>): Promise<OrderDoc> {
  try {
    const contact = doc.contact?.phone ? { ...doc.contact, phone: sealed(doc.contact.phone) } : doc.contact;
    await withTransaction(async (tx) => {
      await attach(tx);
      await tx.add('orders', { ...doc, contact });
      const { raises, actives } = orderRaises(doc, [], doc.events[0]);
      await raiseFigures(tx, raises, actives);
    });
    return doc;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const existing = await findByRequestKey(doc.requestKey);
    if (!existing) throw e;
    return existing;
  }
}

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date || b instanceof Date)
    return !!a && !!b && new Date(a as Date).getTime() === new Date(b as Date).getTime();
  return (a ?? null) === (b ?? null);
};

/** Whether every field of the condition (dotted paths, plain equality) still holds on the order. */
export function holds(o: OrderDoc, condition: Record<string, unknown>): boolean {
  return Object.entries(condition).every(([path, want]) => {
    const have = path
      .split('.')
      .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
    return sameValue(have, want);
  });
}

/**
 * Applies a decided change (domain/decide.ts): the order changes only if the condition — what the
 * decision was based on (its status, and the level, assignee or deadline it read) — still holds, and the
 * change appends its timeline event in the same write. Without counters it is one conditional update;
 * with counters (a volunteer's load and rating) it is one transaction of single-document writes by id,
 * so the counters change exactly when the order does. The command center's figures the event moves
 * (stats/domain/orders.ts) are raised in that transaction too. Answers whether it won.
 */
export async function apply(id: string, change: Change): Promise<boolean> {
  return (await applyAnswered(id, change)) !== false;
}

/**
 * apply, answering the order as written where the change ran in a transaction (the order read in it,
 * with the change on top: exactly what the database now holds); true where it won by a conditional
 * update alone (other fields may have moved beside it: read it to know); false where it lost.
 */
export async function applyAnswered(id: string, change: Change): Promise<OrderDoc | boolean> {
  const { condition, set, event } = change;
  const counters = change.counters.filter((c) => Object.values(c.inc).some((v) => v) || c.loadBelow !== undefined);
  const hours = change.hours ?? [];
  if (counters.length === 0 && hours.length === 0 && !movesFigures(event)) {
    const n = await updatedCount(
      orders()
        .where({ _id: id, ...condition })
        .update({ data: { ...set, updatedAt: event.at, events: _().push([event]) } }),
    );
    return n === 1;
  }
  return withTransaction<OrderDoc | false>(async (tx) => {
    const o = await tx.get<OrderDoc>('orders', id);
    if (!o || !holds(o, condition)) return false;
    await tx.update('orders', id, { ...set, updatedAt: event.at, events: _().push([event]) });
    await changeCounters(tx, counters);
    const { raises, actives } = orderRaises(o, o.events, event);
    await raiseFigures(tx, raises, actives);
    // Service hours from the order (rated or closed; reversed on reopening), with the order's change.
    await addHoursInTransaction(tx, hours);
    return applied(o, change);
  });
}

/**
 * 催办: records the reminder and its timeline event while the same volunteer still holds the order in the
 * same status and no reminder was made since `since` — one conditional update, so two heads urging at
 * once make one reminder. Answers whether it won.
 */
export async function urge(
  o: OrderDoc,
  urge: NonNullable<OrderDoc['urge']>,
  since: Date,
  event: EventDoc,
): Promise<boolean> {
  const cmd = _();
  const n = await updatedCount(
    orders()
      .where(
        cmd.and([
          { _id: o._id, status: o.status, 'assignee.openid': o.assignee?.openid ?? null },
          cmd.or([{ urge: null }, { 'urge.at': cmd.lt(since) }]),
        ]),
      )
      .update({ data: { urge, updatedAt: event.at, events: cmd.push([event]) } }),
  );
  return n === 1;
}

/**
 * Applies one change to many orders at once — the timer's escalations that move the same way (same
 * status and level, the same fields and timeline event): one update on the condition, which every
 * order must still meet, and an update that always changes what it matches (a new level or the red
 * flag, and the event). Answers the ids it changed: all of them when the count says so, else (another
 * run or a person moved some) those whose last event is this one, read back once.
 */
export async function applyMany(
  ids: readonly string[],
  condition: Record<string, unknown>,
  change: Pick<Change, 'set' | 'event'>,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { set, event } = change;
  const n = await updatedCount(
    orders()
      .where({ _id: _().in([...ids]), ...condition })
      .update({ data: { ...set, updatedAt: event.at, events: _().push([event]) } }),
  );
  if (n === ids.length) return new Set(ids);
  if (n === 0) return new Set();
  const back = await listOf<Pick<OrderDoc, '_id' | 'events' | 'updatedAt'>>(
    orders()
      .where({ _id: _().in([...ids]), updatedAt: event.at })
      .field({ _id: true, events: true, updatedAt: true })
      .limit(ids.length),
  );
  const ours = (e: EventDoc | undefined) =>
    !!e && e.type === event.type && e.by === event.by && new Date(e.at).getTime() === new Date(event.at).getTime();
  return new Set(back.filter((o) => o.events.some(ours)).map((o) => o._id));
}

/**
 * The command center's figures for orders applyMany changed together (`before`: as they were read), in
 * one transaction right after that update — the batch's raises fall on a few node-day documents. The
 * one place figures follow their change instead of sharing its transaction: a run that dies between the
 * two leaves those escalations uncounted until `npm run stats:check -- --rebuild` (docs/DEPLOY.md).
 */
export async function raiseFiguresOfMany(before: readonly OrderDoc[], event: EventDoc): Promise<void> {
  if (before.length === 0 || !movesFigures(event)) return;
  const each = before.map((o) => orderRaises(o, o.events, event));
  await withTransaction((tx) =>
    raiseFigures(
      tx,
      each.flatMap((r) => r.raises),
      each.flatMap((r) => r.actives),
    ),
  );
}

/** A deadline condition: passed by `now` (for applyMany's condition). */
export const dueBy = (now: Date) => _().lte(now);

/** The order holding the photo with this trace id in `field`, read through the photos.traceId indexes. */
export async function findByPhotoTrace(field: string, traceId: string): Promise<OrderDoc | undefined> {
  const [o] = await listOf<OrderDoc>(
    orders()
      .where({ [`${field}.traceId`]: traceId })
      .limit(1),
  );
  return o;
}

/**
 * Sets fields without a transition (photo checks); conditional like every write here. True when the
 * condition held: under CloudBase's counting a matched document counts even if the write changed
 * nothing, so a caller deciding a winner on it must make the condition false once the write landed.
 */
export async function patch(
  id: string,
  condition: Record<string, unknown>,
  set: Record<string, unknown>,
): Promise<boolean> {
  return (
    (await updatedCount(
      orders()
        .where({ _id: id, ...condition })
        .update({ data: set }),
    )) === 1
  );
}

export interface ListQuery {
  where: Record<string, unknown>;
  skip: number;
  limit: number;
}

export async function listOrders({ where, skip, limit }: ListQuery): Promise<OrderDoc[]> {
  return listOf<OrderDoc>(orders().where(where).orderBy('createdAt', 'desc').skip(skip).limit(limit));
}

/** How many orders match: the home page's figures (a count query reads no documents). */
export async function countOrders(where: Record<string, unknown>): Promise<number> {
  return ((await orders().where(where).count()) as { total: number }).total;
}

/** Active orders at a node of the network or under it (its point, or its path): a node in use. */
export async function countActiveAt(orgId: string): Promise<number> {
  const status = statusIn(ACTIVE_STATUSES);
  const r = (await orders()
    .where(
      _().or([
        { pointId: orgId, status },
        { path: orgId, status },
      ]),
    )
    .count()) as { total: number };
  return r.total;
}

export const statusIn = (statuses: readonly OrderStatus[]) =>
  statuses.length === 1 ? statuses[0] : _().in([...statuses]);

/**
 * Active orders of a category within a radius, nearest first: possible duplicates of a new one. One
 * geoNear read on the `geo` 2dsphere index; the distance shown is on MongoDB's sphere, the one geoNear
 * filtered by.
 */
export async function similarNear(
  category: Category,
  at: { lat: number; lng: number },
  radiusM: number,
): Promise<{ doc: OrderDoc; distanceM: number }[]> {
  const db = database();
  const found = await listOf<OrderDoc>(
    orders()
      .where({
        category,
        status: _().in([...ACTIVE_STATUSES]),
        geo: _().geoNear({ geometry: db.Geo.Point(at.lng, at.lat), maxDistance: radiusM }),
      })
      .limit(100),
  );
  return found
    .filter((doc) => doc.lat !== null && doc.lng !== null)
    .map((doc) => ({ doc, distanceM: Math.min(radiusM, Math.round(distanceM(at, { lat: doc.lat!, lng: doc.lng! }))) }));
}

/** What a volunteer's task hall holds: open orders held by any of the nodes, in any of the categories. */
export interface HallFilter {
  owners: readonly string[];
  categories: readonly Category[];
  /** The caller: not their own orders, nor those they passed over. */
  openid: string;
}

const hallWhere = (f: HallFilter) => ({
  status: 'open',
  ownerOrgId: _().in([...f.owners]),
  category: _().in([...f.categories]),
  'requester.openid': _().neq(f.openid),
  passedOver: _().neq(f.openid),
});

/**
 * The hall's readers (domain/hall.ts): the nearest by geoNear on `status_owner_category_geo`, whose
 * equality and $in prefix (status, owner, category) it walks, and the newest by `owner_status_created`.
 */
export function hallReaders(f: HallFilter, at: { lat: number; lng: number } | null): HallReaders {
  const none = f.owners.length === 0 || f.categories.length === 0;
  return {
    async nearest(limit, { minM, maxM }) {
      if (none || !at) return [];
      const db = database();
      const near = {
        geometry: db.Geo.Point(at.lng, at.lat),
        ...(minM === undefined ? {} : { minDistance: minM }),
        ...(maxM === undefined ? {} : { maxDistance: maxM }),
      };
      return listOf<OrderDoc>(
        orders()
          .where({ ...hallWhere(f), geo: _().geoNear(near) })
          .limit(limit),
      );
    },
    async newest(skip, limit, unplaced) {
      if (none) return [];
      return listOf<OrderDoc>(
        orders()
          .where({ ...hallWhere(f), ...(unplaced ? { geo: null } : {}) })
          .orderBy('createdAt', 'desc')
          .orderBy('_id', 'asc')
          .skip(skip)
          .limit(limit),
      );
    },
  };
}

/** What the timer works through, oldest deadline first, each through its index. */
export const DUE = {
  /** status_accept_by: dispatched and not accepted in time */
  skip: (now: Date) =>
    orders()
      .where({ status: 'dispatched', acceptBy: _().lte(now) })
      .orderBy('acceptBy', 'asc'),
  /** status_overdue_due: red orders are skipped by the index, not read and passed over */
  escalate: (now: Date) =>
    orders()
      .where({ status: _().in([...ACTIVE_STATUSES]), dueAt: _().lte(now), overdue: false })
      .orderBy('dueAt', 'asc'),
  /** status_rate_by: fulfilled and not rated in time */
  autoClose: (now: Date) =>
    orders()
      .where({ status: 'fulfilled', rateBy: _().lte(now) })
      .orderBy('rateBy', 'asc'),
};

export type Sweep = keyof typeof DUE;

/** The next `limit` orders a sweep of the timer is due to look at. */
export async function dueFor(sweep: Sweep, now: Date, limit: number): Promise<OrderDoc[]> {
  return listOf<OrderDoc>(DUE[sweep](now).limit(limit));
}
