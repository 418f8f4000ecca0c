/**
 * The one owner of the integral collections. Every change of a balance is one transaction that adds
 * the ledger entry (keyed by its idempotency key), sets the cached balance and the rank tallies, and
 * changes whatever caused it (the record, the stock, the redemption) — all of it or none of it. The
 * decisions come from ./decide; this module only loads, applies and retries.
 */
import { INTEGRAL_DEFAULTS, type IntegralSettings } from '../../../typings/integral';
import { AppError } from '../runtime/errors';
import { database, listOf, updatedCount } from '../runtime/sdk';
import { withTransaction, type TxOps } from '../runtime/transaction';
import { raiseFigures } from '../stats/store';
import { entryRaise } from '../stats/domain/records';
import { keysetPages } from '../runtime/pages';
import { findHousehold } from '../user/store';
import { getOrg } from '../org/store';
import { pathOf } from '../org/domain/model';
import type { RuleOverride } from './domain/template';
import {
  capId,
  checkCap,
  dueForPosting,
  EARNING,
  entryFor,
  isRefusal,
  postingForClaim,
  type ClaimChange,
  type Posting,
  type Refusal,
} from './domain/decide';
import {
  periodsOf,
  type BalanceDoc,
  type CapDoc,
  type ClaimDoc,
  type EntryDoc,
  type HouseholdRef,
  type TallyDoc,
} from './domain/model';

export const C = {
  rules: 'integralRules',
  claims: 'integralClaims',
  ledger: 'integralLedger',
  balances: 'integralBalances',
  tallies: 'integralTallies',
  caps: 'integralCaps',
  items: 'integralItems',
  redemptions: 'integralRedemptions',
  settings: 'integralSettings',
} as const;

export const coll = (name: string) => database().collection(name);
export const _ = () => database().command;

/**
 * Test seam: called between the steps of a write, inside its transaction. A fault test throws from it
 * to prove a write that stops half-way leaves nothing behind. Null in the functions.
 */
export type StepHook = ((step: string) => void) | null;
let stepHook: StepHook = null;
export function onStep(hook: StepHook): void {
  stepHook = hook;
}
export const step = (name: string) => stepHook?.(name);

export function orThrow<T>(x: T | Refusal): T {
  if (isRefusal(x)) throw new AppError(x.refused, x.message);
  return x;
}

export async function loadSettings(): Promise<IntegralSettings> {
  const [doc] = await listOf<{ settings?: Partial<IntegralSettings> }>(
    coll(C.settings).where({ _id: 'center' }).limit(1),
  );
  return { ...INTEGRAL_DEFAULTS, ...(doc?.settings ?? {}) };
}

/** The center's settings, replaced whole (one document), with who changed them and when. */
export async function saveSettings(settings: IntegralSettings, by: string, at: Date): Promise<void> {
  await coll(C.settings)
    .doc('center')
    .set({ data: { settings, updatedBy: by, updatedAt: at } });
}

/**
 * A household with its station's path. `stationGuess` (the caller's station, usually the household's)
 * is read beside the household, one round trip; a wrong guess costs a second read.
 */
export async function householdRef(id: string, stationGuess?: string | null): Promise<HouseholdRef | undefined> {
  const [h, guessed] = await Promise.all([findHousehold(id), stationGuess ? getOrg(stationGuess) : undefined]);
  if (!h) return undefined;
  const station = guessed && guessed._id === h.stationId ? guessed : await getOrg(h.stationId);
  if (!station) return undefined;
  return {
    id: h._id,
    stationId: h.stationId,
    path: pathOf(station),
    headName: h.headName,
    memberOpenids: h.members.map((m) => m.openid),
  };
}

// ── rules ───────────────────────────────────────────────────────────────────────────────────────

export async function loadOverrides(stationId: string): Promise<Map<string, RuleOverride>> {
  const docs = await listOf<RuleOverride & { ruleId: string }>(coll(C.rules).where({ stationId }).limit(100));
  return new Map(docs.map(({ ruleId, points, monthlyCap, enabled }) => [ruleId, { points, monthlyCap, enabled }]));
}

export async function saveOverride(stationId: string, ruleId: string, o: RuleOverride, by: string, at: Date) {
  await coll(C.rules)
    .doc(`${stationId}:${ruleId}`)
    .set({ data: { stationId, ruleId, ...o, updatedBy: by, updatedAt: at } });
}

// ── records ─────────────────────────────────────────────────────────────────────────────────────

export async function findClaim(id: string): Promise<ClaimDoc | undefined> {
  const [doc] = await listOf<ClaimDoc>(coll(C.claims).where({ _id: id }).limit(1));
  return doc;
}

/** Takes (+1) or gives back (-1) a slot of the household's monthly cap for the record's rule. */
async function applyCap(tx: TxOps, claim: ClaimDoc, delta: number): Promise<void> {
  if (delta === 0 || claim.monthlyCap === null) return;
  const id = capId(claim);
  const used = (await tx.get<CapDoc>(C.caps, id))?.count ?? 0;
  orThrow(checkCap(claim, used, delta) ?? true);
  await tx.set(C.caps, id, { count: Math.max(0, used + delta) });
}

const body = (doc: ClaimDoc) => {
  const { _id: _id, ...rest } = doc;
  return rest;
};

/** The record holding the photo with this trace id (the photos.traceId index). */
export async function findClaimByPhotoTrace(traceId: string): Promise<ClaimDoc | undefined> {
  const [doc] = await listOf<ClaimDoc>(coll(C.claims).where({ 'photos.traceId': traceId }).limit(1));
  return doc;
}

/**
 * Sets a record's photo to WeChat's verdict, on the condition that it still carries the trace id and
 * is still pending: a repeated push changes nothing. True when this call set it.
 */
export async function setClaimPhotoCheck(
  id: string,
  index: number,
  traceId: string,
  check: 'pass' | 'rejected' | null,
  verdict: { suggest: string; label: string | null; at: Date },
): Promise<boolean> {
  const base = `photos.${index}`;
  const n = await updatedCount(
    coll(C.claims)
      .where({ _id: id, [`${base}.traceId`]: traceId, [`${base}.check`]: 'pending' })
      .update({ data: { ...(check ? { [`${base}.check`]: check } : {}), [`${base}.verdict`]: verdict } }),
  );
  return n === 1;
}

/** Makes a record (a claim, or an award that takes its cap slot at once); a retry answers the first. */
export async function insertClaim(doc: ClaimDoc): Promise<ClaimDoc> {
  return withTransaction(async (tx) => {
    const existing = await tx.get<ClaimDoc>(C.claims, doc._id);
    if (existing) return existing;
    if (doc.status !== 'pending') await applyCap(tx, doc, 1);
    step('claim:cap');
    await tx.set(C.claims, doc._id, body(doc));
    return doc;
  });
}

/** Changes a record by a decision on its current state, with its cap slot, in one transaction. */
export async function changeClaim(id: string, decide: (c: ClaimDoc) => ClaimChange | Refusal): Promise<ClaimDoc> {
  return withTransaction(async (tx) => {
    const claim = await tx.get<ClaimDoc>(C.claims, id);
    if (!claim) throw new AppError('NOT_FOUND', '没有找到这条积分记录。');
    const change = orThrow(decide({ ...claim, _id: id }));
    await applyCap(tx, claim, change.cap);
    step('claim:change');
    const next = { ...claim, ...change.set, _id: id };
    await tx.set(C.claims, id, body(next));
    return next;
  });
}

/** Posts a record whose notice has ended; false when it is not (or no longer) due. */
export async function postClaim(id: string, now: Date): Promise<boolean> {
  return withTransaction(async (tx) => {
    const claim = await tx.get<ClaimDoc>(C.claims, id);
    if (!claim || !dueForPosting(claim, now)) return false;
    const entry = await applyPosting(tx, postingForClaim({ ...claim, _id: id }, now));
    step('post:entry');
    await tx.set(C.claims, id, body({ ...claim, _id: id, status: 'posted', entryId: entry._id, updatedAt: now }));
    return true;
  });
}

export interface ClaimQuery {
  where: Record<string, unknown>;
  skip: number;
  limit: number;
}

export async function listClaims(q: ClaimQuery): Promise<ClaimDoc[]> {
  return listOf<ClaimDoc>(coll(C.claims).where(q.where).orderBy('createdAt', 'desc').skip(q.skip).limit(q.limit));
}

export const inStatus = (statuses: string[]) => _().in(statuses);

/** How many records this person approved since `since`: the burst check. */
export async function approvalsSince(openid: string, since: Date): Promise<number> {
  const r = (await coll(C.claims)
    .where({ reviewedBy: openid, reviewedAt: _().gte(since) })
    .count()) as { total: number };
  return r.total;
}

export async function dueNotices(now: Date, limit: number): Promise<string[]> {
  const docs = await listOf<ClaimDoc>(
    coll(C.claims)
      .where({ status: 'notice', noticeEndsAt: _().lte(now), openObjections: 0 })
      .field({ _id: true })
      .limit(limit),
  );
  return docs.map((d) => d._id);
}

// ── the ledger ──────────────────────────────────────────────────────────────────────────────────

/**
 * Adds a posting's entry on top of the cached balance, and raises the rank tallies for conduct. A key
 * already in the ledger is the same change arriving twice: its entry is answered, nothing is added.
 */
export async function applyPosting(
  tx: TxOps,
  p: Posting,
  /**
   * Given by a caller that has read, in this transaction, the balance and a document written in the
   * same transaction as this entry (so the entry cannot exist yet): the key and the balance are not read again.
   */
  fresh?: { balance: BalanceDoc | undefined },
): Promise<EntryDoc> {
  if (!fresh) {
    const done = await tx.get<EntryDoc>(C.ledger, p.key);
    if (done) return { ...done, _id: p.key };
  }
  const bal = fresh ? fresh.balance : await tx.get<BalanceDoc>(C.balances, p.household.id);
  const entry = entryFor(p, bal?.balance ?? 0);
  step('ledger:balance');
  await tx.set(C.balances, p.household.id, {
    householdId: p.household.id,
    stationId: p.household.stationId,
    path: p.household.path,
    balance: entry.balanceAfter,
    entries: (bal?.entries ?? 0) + 1,
    updatedAt: p.at,
  });
  step('ledger:entry');
  const { _id: key, ...fields } = entry;
  await tx.set(C.ledger, key, fields);
  step('ledger:figures');
  await raiseFigures(tx, [entryRaise(entry)]);
  const reversed = p.reverses && p.cause === 'reversal' ? await tx.get<EntryDoc>(C.ledger, p.reverses) : undefined;
  if (!EARNING(p.cause, reversed?.cause)) return entry;
  const { month, year } = periodsOf(p.at);
  for (const period of [month, year]) {
    const id = `${p.household.id}:${period}`;
    const t = await tx.get<TallyDoc>(C.tallies, id);
    step('ledger:tally');
    await tx.set(C.tallies, id, {
      householdId: p.household.id,
      headName: p.household.headName || t?.headName || '',
      stationId: p.household.stationId,
      path: p.household.path,
      period,
      points: (t?.points ?? 0) + p.points,
    });
  }
  return entry;
}

export async function post(p: Posting): Promise<EntryDoc> {
  return withTransaction((tx) => applyPosting(tx, p));
}

export async function findEntry(id: string): Promise<EntryDoc | undefined> {
  const [doc] = await listOf<EntryDoc>(coll(C.ledger).where({ _id: id }).limit(1));
  return doc;
}

export async function ledgerPage(householdId: string, skip: number, limit: number): Promise<EntryDoc[]> {
  return listOf<EntryDoc>(coll(C.ledger).where({ householdId }).orderBy('at', 'desc').skip(skip).limit(limit));
}

export async function balanceOf(householdId: string): Promise<number> {
  const [doc] = await listOf<BalanceDoc>(coll(C.balances).where({ _id: householdId }).limit(1));
  return doc?.balance ?? 0;
}

export async function rank(orgId: string, period: string, limit: number): Promise<TallyDoc[]> {
  return listOf<TallyDoc>(coll(C.tallies).where({ path: orgId, period }).orderBy('points', 'desc').limit(limit));
}

/** The records of points a person made (claims), newest first. */
export async function claimsBy(openid: string, skip: number, limit: number): Promise<ClaimDoc[]> {
  return listClaims({ where: { 'by.openid': openid }, skip, limit });
}

/** A closed account's claims under a pseudonym: the points stay with the household, the name goes. */
export async function anonymiseClaims(openid: string, who: { openid: string; name: string }): Promise<void> {
  await coll(C.claims)
    .where({ 'by.openid': openid })
    .update({ data: { 'by.openid': who.openid, 'by.name': who.name } });
}
// ── exports ───────────────────────────────────────────────────────────────────────────────────────

/** Ledger entries under a node made in [from, to), in order, a keyset page at a time (path_at). */
export const ledgerUnder = (orgId: string, from: Date, to: Date, fields?: string[]) =>
  keysetPages<EntryDoc>(coll('integralLedger'), { where: { path: orgId }, key: 'at', from, to, fields });
