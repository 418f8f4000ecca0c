/** The orders collection and what the order actions read beside it (settings, counters, volunteers). */
import { DEFAULT_ORDER_SETTINGS, type OrderSettings, type OrderStatus } from '../../../typings/order';
import type { Category } from '../../../typings/domain';
import { database, isDuplicateKey, listOf, updatedCount } from '../runtime/sdk';
import { withTransaction } from '../runtime/transaction';
import { AppError } from '../runtime/errors';
import { boundingBox, distanceM } from '../org/domain/geo';
import type { VolunteerDoc } from '../user/domain/model';
import type { EventDoc, OrderDoc } from './domain/model';

const orders = () => database().collection('orders');
const _ = () => database().command;

export const SETTINGS_ID = 'order-settings';

export async function loadSettings(): Promise<OrderSettings> {
  const [doc] = await listOf<{ settings: OrderSettings }>(
    database().collection('config').where({ _id: SETTINGS_ID }).limit(1),
  );
  return doc?.settings ?? DEFAULT_ORDER_SETTINGS;
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

/** A change to a volunteer's work counters that goes with a transition. */
export interface CounterChange {
  openid: string;
  inc: { load?: number; ratingSum?: number; ratingCount?: number };
  /** The change is refused (FAILED_PRECONDITION) when the volunteer's load is already this high. */
  loadBelow?: number;
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
 * One transition: the order changes only if the condition — what the decision was based on (its
 * status, and the level, assignee or deadline it read) — still holds, and the change appends its
 * timeline event in the same write. Without counters it is one conditional update; with counters
 * (a volunteer's load and rating) it is one transaction of single-document writes by id, so the
 * counters change exactly when the order does. Answers whether it won.
 */
export async function transition(
  id: string,
  condition: Record<string, unknown>,
  set: Partial<OrderDoc>,
  event: EventDoc,
  counters: CounterChange[] = [],
): Promise<boolean> {
  const changes = counters.filter((c) => Object.values(c.inc).some((v) => v) || c.loadBelow !== undefined);
  if (changes.length === 0) {
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
    for (const c of changes) {
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.inc)) if (v) data[k] = _().inc(v);
      const v = await tx.get<{ load?: number }>('volunteers', c.openid);
      if (!v) continue;
      if (c.loadBelow !== undefined && (v.load ?? 0) >= c.loadBelow) {
        throw new AppError('FAILED_PRECONDITION', `手上已经有${c.loadBelow}个任务了，先办好再接新的吧。`);
      }
      await tx.update('volunteers', c.openid, data);
    }
    return true;
  });
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
        status: _().in(['submitted', 'open', 'dispatched', 'accepted']),
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

/** Volunteers with the skill at any of the stations, active, not passed over: the matching pool. */
export async function volunteersFor(
  category: Category,
  stationIds: readonly string[],
  exclude: readonly string[],
): Promise<VolunteerDoc[]> {
  const keys = stationIds.map((s) => `${category}@${s}`);
  const out: VolunteerDoc[] = [];
  // The caller passes the stations nearest the order (a few dozen at most): a few indexed round trips.
  for (let i = 0; i < keys.length; i += 100) {
    for (let skip = 0; ; skip += 1000) {
      const page = await listOf<VolunteerDoc>(
        database()
          .collection('volunteers')
          .where({ skillStations: _().in(keys.slice(i, i + 100)), status: 'active' })
          .orderBy('_id', 'asc') // a stable order, so the pages neither skip nor repeat anyone
          .field({
            openid: true,
            name: true,
            stationIds: true,
            load: true,
            ratingSum: true,
            ratingCount: true,
            availability: true,
          })
          .skip(skip)
          .limit(1000),
      );
      out.push(...page);
      if (page.length < 1000) break;
    }
  }
  const skip = new Set(exclude);
  const seen = new Set<string>();
  return out.filter((v) => !skip.has(v.openid) && !seen.has(v.openid) && seen.add(v.openid));
}
