/**
 * The integral store, continued (store.ts): the points supermarket — items and their stock, a
 * redemption (stock, balance entry and reservation in one transaction, keyed by the request so a retry
 * answers the first), its pickup and its expiry — and the redemptions' reader for the Excel exports.
 */
import { randomInt } from 'node:crypto';
import type { IntegralSettings } from '../../../typings/integral';
import { AppError } from '../runtime/errors';
import { listOf } from '../runtime/sdk';
import { withTransaction } from '../runtime/transaction';
import { keysetPages } from '../runtime/pages';
import { decideExpiry, decideRedeem, type Refusal } from './domain/decide';
import type { BalanceDoc, HouseholdRef, ItemDoc, RedemptionDoc } from './domain/model';
import { _, applyPosting, C, coll, orThrow, step } from './store';

export async function findItem(id: string): Promise<ItemDoc | undefined> {
  const [doc] = await listOf<ItemDoc>(coll(C.items).where({ _id: id }).limit(1));
  return doc;
}

export async function itemsOf(shopIds: string[], enabledOnly: boolean): Promise<ItemDoc[]> {
  const where: Record<string, unknown> = { stationId: _().in(shopIds) };
  if (enabledOnly) where.enabled = true;
  return listOf<ItemDoc>(coll(C.items).where(where).orderBy('points', 'asc').limit(100));
}

/** Adds an item, or changes one (the stock by a delta, in a transaction: never below zero). */
export async function saveItem(doc: ItemDoc, addStock: number, isNew: boolean): Promise<ItemDoc> {
  return withTransaction(async (tx) => {
    const current = isNew ? undefined : await tx.get<ItemDoc>(C.items, doc._id);
    if (!isNew && !current) throw new AppError('NOT_FOUND', '没有找到这件商品。');
    const stock = (current?.stock ?? 0) + addStock;
    if (stock < 0) throw new AppError('FAILED_PRECONDITION', `库存只剩${current?.stock ?? 0}件，不能减这么多。`);
    const next = { ...doc, stock, createdAt: current?.createdAt ?? doc.createdAt };
    const { _id: id, ...fields } = next;
    await tx.set(C.items, id, fields);
    return next;
  });
}

const newCode = () => String(randomInt(10_000_000, 100_000_000));

/**
 * A redemption: the stock down by one, the balance down by the points (an entry), the reservation
 * with its pickup code — one transaction. Its id comes from the household and the client's request, so
 * a retry finds the first and answers it.
 */
export async function redeem(
  r: { id: string; requestKey: string; itemId: string; household: HouseholdRef },
  settings: IntegralSettings,
  now: Date,
): Promise<RedemptionDoc> {
  return withTransaction(async (tx) => {
    // The reservation is the idempotency key: written in this transaction with its ledger entry, so
    // when it is absent the entry is too, and the entry's key need not be read (applyPosting's `fresh`).
    const done = await tx.get<RedemptionDoc>(C.redemptions, r.id);
    if (done) return { ...done, _id: r.id };
    const item = await tx.get<ItemDoc>(C.items, r.itemId);
    if (!item) throw new AppError('NOT_FOUND', '没有找到这件商品。');
    const bal = await tx.get<BalanceDoc>(C.balances, r.household.id);
    const balance = bal?.balance ?? 0;
    const d = orThrow(
      decideRedeem({ ...r, pickupCode: newCode(), item: { ...item, _id: r.itemId }, balance }, settings, now),
    );
    await tx.update(C.items, r.itemId, { stock: item.stock - 1, updatedAt: now });
    step('redeem:stock');
    await applyPosting(tx, d.posting, { balance: bal });
    step('redeem:entry');
    const { _id: id, ...fields } = d.redemption;
    await tx.set(C.redemptions, id, fields);
    return d.redemption;
  }, 12);
}

export async function findRedemption(where: Record<string, unknown>): Promise<RedemptionDoc | undefined> {
  const [doc] = await listOf<RedemptionDoc>(coll(C.redemptions).where(where).limit(1));
  return doc;
}

export async function listRedemptions(where: Record<string, unknown>, skip: number, limit: number) {
  return listOf<RedemptionDoc>(coll(C.redemptions).where(where).orderBy('createdAt', 'desc').skip(skip).limit(limit));
}

export async function changeRedemption(
  id: string,
  decide: (r: RedemptionDoc) => Partial<RedemptionDoc> | Refusal,
): Promise<RedemptionDoc> {
  return withTransaction(async (tx) => {
    const red = await tx.get<RedemptionDoc>(C.redemptions, id);
    if (!red) throw new AppError('NOT_FOUND', '没有找到这个取货码。');
    const set = orThrow(decide({ ...red, _id: id }));
    await tx.update(C.redemptions, id, set);
    return { ...red, ...set, _id: id };
  });
}

/** Releases a reservation past its day: status, stock back and refund entry together. */
export async function expireRedemption(id: string, now: Date): Promise<boolean> {
  return withTransaction(async (tx) => {
    const red = await tx.get<RedemptionDoc>(C.redemptions, id);
    if (!red) return false;
    const bal = await tx.get<BalanceDoc>(C.balances, red.householdId);
    const household = { id: red.householdId, stationId: red.stationId, path: bal?.path ?? [], headName: '' };
    const d = decideExpiry({ ...red, _id: id }, household, now);
    if (!d) return false;
    await tx.update(C.redemptions, id, d.set);
    step('expire:status');
    const item = await tx.get<ItemDoc>(C.items, red.itemId);
    if (item) await tx.update(C.items, red.itemId, { stock: item.stock + 1, updatedAt: now });
    step('expire:stock');
    await applyPosting(tx, d.posting);
    return true;
  });
}

export async function dueExpiries(now: Date, limit: number): Promise<string[]> {
  const docs = await listOf<RedemptionDoc>(
    coll(C.redemptions)
      .where({ status: 'reserved', expiresAt: _().lte(now) })
      .field({ _id: true })
      .limit(limit),
  );
  return docs.map((d) => d._id);
}

// ── exports ───────────────────────────────────────────────────────────────────────────────────────

/** Redemptions at the shops under a node made in [from, to), in order, a keyset page at a time (shop_created). */
export const redemptionsUnder = (orgId: string, from: Date, to: Date, fields?: string[]) =>
  keysetPages<RedemptionDoc>(coll('integralRedemptions'), {
    where: { shopPath: orgId },
    key: 'createdAt',
    from,
    to,
    fields,
  });
