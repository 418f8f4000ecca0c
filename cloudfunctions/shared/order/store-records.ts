/**
 * The order store, continued (store.ts): who saw which requester's contact (`reveals`, the station
 * heads' log against phone harvesting), a person's own orders and reveals (个人信息) and what closing
 * their account rewrites, and the orders' reader for the Excel exports.
 */
import { isDuplicateKey } from '../runtime/errors';
import { database, listOf, updatedCount } from '../runtime/sdk';
import { keysetPages } from '../runtime/pages';
import type { OrderStatus } from '../../../typings/order';
import type { OrderDoc } from './domain/model';
import { _, countOrders, orders } from './store';

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

// ── a person's own records (个人信息: what is held about them, and closing the account) ──────────

/** A page of the orders a person asked for, or holds (held at some time) as a volunteer, newest first. */
export async function ordersOfPerson(
  as: 'requester' | 'assignee',
  openid: string,
  skip: number,
  limit: number,
): Promise<OrderDoc[]> {
  return listOf<OrderDoc>(
    orders()
      .where({ [`${as}.openid`]: openid })
      .orderBy('createdAt', 'desc')
      .skip(skip)
      .limit(limit),
  );
}

/** How many of a person's orders are in these statuses (as requester or as assignee). */
export async function countOrdersOfPerson(
  as: 'requester' | 'assignee',
  openid: string,
  statuses: readonly OrderStatus[],
): Promise<number> {
  return countOrders({ [`${as}.openid`]: openid, status: _().in([...statuses]) });
}

/** The orders of a person in these statuses (the open ones a closing account lets go), up to 100. */
export async function ordersOfPersonIn(
  as: 'requester' | 'assignee',
  openid: string,
  statuses: readonly OrderStatus[],
): Promise<OrderDoc[]> {
  return listOf<OrderDoc>(
    orders()
      .where({ [`${as}.openid`]: openid, status: _().in([...statuses]) })
      .limit(100),
  );
}

/**
 * Every order a person appears in, rewritten by `change` (anonymisation when they close their account):
 * each by a conditional update on the order as read, read again when a transition came in between.
 * Answers how many changed; safe to run again (an order already rewritten no longer matches).
 */
export async function rewriteOrdersOf(
  openid: string,
  change: (o: OrderDoc) => Partial<OrderDoc> | null,
): Promise<number> {
  const where = _().or([
    { 'requester.openid': openid },
    { 'assignee.openid': openid },
    { 'events.by': openid },
    { passedOver: openid },
  ]);
  let changed = 0;
  for (let round = 0; round < 50; round += 1) {
    const page = await listOf<OrderDoc>(orders().where(where).limit(100));
    if (page.length === 0) return changed;
    for (const o of page) {
      const fields = change(o);
      if (!fields) continue;
      const n = await updatedCount(orders().where({ _id: o._id, updatedAt: o.updatedAt }).update({ data: fields }));
      changed += n;
    }
  }
  throw new Error(`orders of ${openid} still to rewrite after 50 rounds`);
}

/** A page of the sights of a person's contact (as requester), newest first. */
export async function revealsOfRequester(openid: string, skip: number, limit: number): Promise<RevealDoc[]> {
  return listOf<RevealDoc>(
    reveals().where({ 'requester.openid': openid }).orderBy('lastAt', 'desc').skip(skip).limit(limit),
  );
}

/** The contact log with a closed account's name and openid replaced (as requester and as volunteer). */
export async function anonymiseReveals(openid: string, who: { openid: string; name: string }): Promise<void> {
  await reveals()
    .where({ 'requester.openid': openid })
    .update({ data: { requester: _().set(who) } });
  await reveals()
    .where({ 'volunteer.openid': openid })
    .update({ data: { volunteer: _().set(who) } });
}
// ── exports ───────────────────────────────────────────────────────────────────────────────────────

/** Orders under a node posted in [from, to), in posting order, a keyset page at a time (path_created). */
export const ordersUnder = (orgId: string, from: Date, to: Date, fields?: string[]) =>
  keysetPages<OrderDoc>(orders(), { where: { path: orgId }, key: 'createdAt', from, to, fields });
