/**
 * The order capability's store: the only module that reads and writes its collections — `orders`, the
 * order settings in `config`, and who saw which contact in `reveals`. Volunteers' counters change through
 * the user store, in the same transaction.
 */
import { isDuplicateKey } from '../runtime/errors';
import { ACTIVE_STATUSES, DEFAULT_ORDER_SETTINGS, type OrderSettings, type OrderStatus } from '../../../typings/order';
import type { Category } from '../../../typings/domain';
import { database, listOf, updatedCount } from '../runtime/sdk';
import { withTransaction } from '../runtime/transaction';
import { boundingBox, distanceM } from '../org/domain/geo';
import { changeCounters } from '../user/store';
import type { Change } from './domain/decide';
import type { OrderDoc } from './domain/model';

const orders = () => database().collection('orders');
const _ = () => database().command;

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

/** Inserts a new order; a concurrent retry of the same request finds the one that won. */
export async function insertOrder(doc: OrderDoc): Promise<OrderDoc> {
  try {
    await orders().add({ data: doc });
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
 * so the counters change exactly when the order does. Answers whether it won.
 */
export async function apply(id: string, change: Change): Promise<boolean> {
  const { condition, set, event } = change;
  const counters = change.counters.filter((c) => Object.values(c.inc).some((v) => v) || c.loadBelow !== undefined);
  if (counters.length === 0) {
    const n = await updatedCount(
      orders()
        .where({ _id: id, ...condition })
        .update({ data: { ...set, updatedAt: event.at, events: _().push([event]) } }),
    );
    return n === 1;
  }
  return withTransaction(async (tx) => {
    const o = await tx.get<OrderDoc>('orders', id);
    if (!o || !holds(o, condition)) return false;
    await tx.update('orders', id, { ...set, updatedAt: event.at, events: _().push([event]) });
    await changeCounters(tx, counters);
    return true;
  });
}

/** The order holding the photo with this trace id in `field`, read through the photos.traceId indexes. */
export async function findByPhotoTrace(field: string, traceId: string): Promise<OrderDoc | undefined> {
  const [o] = await listOf<OrderDoc>(
    orders()
      .where({ [`${field}.traceId`]: traceId })
      .limit(1),
  );
  return o;
}

/** Sets fields without a transition (photo checks); conditional like every write here. */
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

/** Active orders of a category within a radius, nearest first: possible duplicates of a new one. */
export async function similarNear(
  category: Category,
  at: { lat: number; lng: number },
  radiusM: number,
): Promise<{ doc: OrderDoc; distanceM: number }[]> {
  const box = boundingBox(at, radiusM);
  const found = await listOf<OrderDoc>(
    orders()
      .where({
        category,
        status: _().in([...ACTIVE_STATUSES]),
        lat: _().gte(box.minLat).and(_().lte(box.maxLat)),
        lng: _().gte(box.minLng).and(_().lte(box.maxLng)),
      })
      .limit(100),
  );
  return found
    .map((doc) => ({ doc, distanceM: Math.round(distanceM(at, { lat: doc.lat!, lng: doc.lng! })) }))
    .filter((f) => f.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM);
}

/** Open orders held by any of the nodes and in any of the categories: a volunteer's task hall. */
export async function openOrdersFor(
  ownerOrgIds: readonly string[],
  categories: readonly Category[],
): Promise<OrderDoc[]> {
  if (ownerOrgIds.length === 0 || categories.length === 0) return [];
  return listOf<OrderDoc>(
    orders()
      .where({ ownerOrgId: _().in([...ownerOrgIds]), status: 'open', category: _().in([...categories]) })
      .orderBy('createdAt', 'desc')
      .limit(1000),
  );
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

/** One volunteer's sight of one order's contact: kept for the station heads (who saw whose, when, how often). */
export interface RevealDoc {
  _id: string;
  orderId: string;
  orderTitle: string;
  path: string[];
  volunteer: { openid: string; name: string };
  requester: { openid: string; name: string | null };
  firstAt: Date;
  lastAt: Date;
  times: number;
  declinedAt: Date | null;
}

const reveals = () => database().collection('reveals');

/** Records that the holder was shown the contact: one record per order and volunteer, counting each sight. */
export async function recordReveal(o: OrderDoc, volunteer: { openid: string; name: string }, at: Date): Promise<void> {
  const id = `${o._id}:${volunteer.openid}`;
  const again = () =>
    updatedCount(
      reveals()
        .doc(id)
        .update({ data: { lastAt: at, times: _().inc(1) } }),
    );
  if ((await again()) === 1) return;
  try {
    await reveals().add({
      data: {
        _id: id,
        orderId: o._id,
        orderTitle: o.title,
        path: o.path,
        volunteer,
        requester: { openid: o.requester.openid, name: o.requester.name },
        firstAt: at,
        lastAt: at,
        times: 1,
        declinedAt: null,
      } satisfies RevealDoc,
    });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await again();
  }
}

/** Marks the volunteer's sight of the order as followed by a decline: true the first time only (retry-safe). */
export async function markRevealDeclined(orderId: string, openid: string, at: Date): Promise<boolean> {
  return (
    (await updatedCount(
      reveals()
        .where({ _id: `${orderId}:${openid}`, declinedAt: null })
        .update({ data: { declinedAt: at } }),
    )) === 1
  );
}

export async function revealsUnder(orgId: string, skip: number, limit: number): Promise<RevealDoc[]> {
  return listOf<RevealDoc>(reveals().where({ path: orgId }).orderBy('lastAt', 'desc').skip(skip).limit(limit));
}
