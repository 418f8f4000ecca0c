/**
 * The decisions of moral integral, as pure functions: given the documents, the input, the caller, the
 * settings and the time, what changes — or a typed refusal. The actions, the timer, the demo seed and
 * the unit tests all call these; the store only loads and applies them inside a transaction.
 */
import type { ErrorCode } from '../../../../typings/errors';
import type { ClaimSource, IntegralRule, IntegralSettings, LedgerCause } from '../../../../typings/integral';
import { DISPATCHER_ROLES, type Role } from '../../../../typings/domain';
import { coveringRoles, type HeldRole } from '../../auth/domain/guard';
import { periodsOf, type ClaimDoc, type EntryDoc, type HouseholdRef, type ItemDoc, type RedemptionDoc } from './model';

export interface Refusal {
  refused: ErrorCode;
  message: string;
}

const refuse = (refused: ErrorCode, message: string): Refusal => ({ refused, message });

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && 'refused' in x;
}

export interface Caller {
  openid: string;
  name: string | null;
  roles: HeldRole[];
  stationId: string | null;
  householdId: string | null;
}

const SECOND_APPROVERS: readonly Role[] = ['instituteAdmin', 'centerAdmin'];

/** A station head (or above) whose scope covers the path. */
export const manages = (caller: Caller, path: readonly string[]) =>
  coveringRoles(caller.roles, DISPATCHER_ROLES, path).length > 0;

/** Members of the household, and the managers over its station, may read its points. */
export function mayReadHousehold(caller: Caller, household: HouseholdRef): boolean {
  return household.memberOpenids.includes(caller.openid) || manages(caller, household.path);
}

// ── making a record ─────────────────────────────────────────────────────────────────────────────

export interface NewRecord {
  id: string;
  requestKey: string;
  source: ClaimSource;
  rule: IntegralRule;
  household: HouseholdRef;
  note: string;
  photos: ClaimDoc['photos'];
  caller: Caller;
  now: Date;
}

/** A villager's claim for their own household, or a recommendation of a neighbour's. */
export function decideClaim(r: NewRecord): ClaimDoc | Refusal {
  if (!r.caller.stationId || !r.caller.householdId)
    return refuse('FAILED_PRECONDITION', '请先在“我的”里绑定您所在的村和户号，再来申报。');
  if (!r.rule.enabled || !r.rule.claimable) return refuse('FAILED_PRECONDITION', '这条细则不能自己申报，请联系站长。');
  if (r.household.stationId !== r.caller.stationId) return refuse('FORBIDDEN', '只能推荐本村的农户。');
  if (r.rule.evidence && r.photos.length === 0) return refuse('INVALID_ARGUMENT', '这条细则需要上传照片作为证明。');
  return record(r, 'pending', null);
}

/**
 * A station head's award (or, with a negative rule, deduction): approved by them as it is made. Their
 * written account (the note, required by the action) is the evidence; photos are added where they have them.
 */
export function decideAward(r: NewRecord, settings: IntegralSettings): ClaimDoc | Refusal {
  if (!manages(r.caller, r.household.path)) return refuse('FORBIDDEN', '只能给本站范围内的农户加分或扣分。');
  if (r.caller.householdId === r.household.id)
    return refuse('FORBIDDEN', '不能给自己家加分或扣分，请由其他管理员办理。');
  if (!r.rule.enabled) return refuse('FAILED_PRECONDITION', '这条细则本站已停用。');
  const needsSecond = Math.abs(r.rule.points) > settings.secondApprovalAbove;
  const review = { by: r.caller.openid, byName: r.caller.name, approve: true, reason: null, at: r.now };
  const doc = record(r, needsSecond ? 'second' : 'notice', review);
  return needsSecond ? doc : { ...doc, noticeEndsAt: noticeEnd(r.now, settings) };
}

function record(r: NewRecord, status: ClaimDoc['status'], review: ClaimDoc['reviews'][number] | null): ClaimDoc {
  return {
    _id: r.id,
    requestKey: r.requestKey,
    source: r.source,
    status,
    householdId: r.household.id,
    householdName: r.household.headName,
    stationId: r.household.stationId,
    path: r.household.path,
    ruleId: r.rule.id,
    ruleName: r.rule.name,
    group: r.rule.group,
    points: r.rule.points,
    monthlyCap: r.rule.monthlyCap,
    month: periodsOf(r.now).month,
    note: r.note,
    photos: r.photos,
    by: { openid: r.caller.openid, name: r.caller.name, householdId: r.caller.householdId },
    reviews: review ? [review] : [],
    reviewedBy: review ? review.by : null,
    reviewedAt: review ? r.now : null,
    noticeEndsAt: null,
    objections: [],
    openObjections: 0,
    flagged: false,
    entryId: null,
    createdAt: r.now,
    updatedAt: r.now,
  };
}

const noticeEnd = (now: Date, s: IntegralSettings) => new Date(now.getTime() + s.noticeDays * 86_400_000);

// ── review ──────────────────────────────────────────────────────────────────────────────────────

/** What a decision does to a record: its new fields, and the cap slot it takes (+1) or gives back (-1). */
export interface ClaimChange {
  set: Partial<ClaimDoc>;
  cap: 1 | -1 | 0;
}

/**
 * Approve or reject. A pending record is the station head's; one above the threshold then waits for a
 * second approver at the institute (a different person). Nobody decides for their own household.
 * `recentApprovals` is how many the caller approved within the burst window: past the limit the
 * record is flagged to the institute (it still goes ahead: a flag asks for a look, not a stop).
 */
export function decideReview(
  claim: ClaimDoc,
  input: { approve: boolean; reason?: string },
  caller: Caller,
  ctx: { settings: IntegralSettings; now: Date; recentApprovals: number },
): ClaimChange | Refusal {
  if (claim.status !== 'pending' && claim.status !== 'second')
    return refuse('CONFLICT', '这条记录已经审核过了，请刷新后查看。');
  const second = claim.status === 'second';
  const roles = second ? SECOND_APPROVERS : DISPATCHER_ROLES;
  if (coveringRoles(caller.roles, roles, claim.path).length === 0)
    return refuse('FORBIDDEN', second ? '这条记录分值较大，需要实践所复核。' : '您没有审核这条记录的权限。');
  if (caller.householdId === claim.householdId || claim.by.openid === caller.openid)
    return refuse('FORBIDDEN', '不能审核自己家的积分，请由其他管理员办理。');
  if (second && claim.reviews.some((r) => r.by === caller.openid))
    return refuse('FORBIDDEN', '复核需要另一位管理员办理。');
  if (!input.approve && !input.reason) return refuse('INVALID_ARGUMENT', '不通过时请写明原因。');
  const review = {
    by: caller.openid,
    byName: caller.name,
    approve: input.approve,
    reason: input.reason ?? null,
    at: ctx.now,
  };
  const base = {
    reviews: [...claim.reviews, review],
    reviewedBy: caller.openid,
    reviewedAt: ctx.now,
    updatedAt: ctx.now,
  };
  const flagged = claim.flagged || (input.approve && ctx.recentApprovals >= ctx.settings.burstLimit);
  if (!input.approve) return { set: { ...base, status: 'rejected' }, cap: second ? -1 : 0 };
  if (!second && Math.abs(claim.points) > ctx.settings.secondApprovalAbove)
    return { set: { ...base, status: 'second', flagged }, cap: 1 };
  return {
    set: { ...base, status: 'notice', noticeEndsAt: noticeEnd(ctx.now, ctx.settings), flagged },
    cap: second ? 0 : 1,
  };
}

/** The cap slot an approval takes: refused when the household has used the rule up this month. */
export function checkCap(claim: Pick<ClaimDoc, 'monthlyCap'>, used: number, delta: number): Refusal | null {
  if (delta <= 0 || claim.monthlyCap === null) return null;
  return used + delta > claim.monthlyCap
    ? refuse('FAILED_PRECONDITION', `这条细则每户每月最多${claim.monthlyCap}次，本月已经用完了。`)
    : null;
}

export const capId = (claim: Pick<ClaimDoc, 'householdId' | 'ruleId' | 'month'>) =>
  `${claim.householdId}:${claim.ruleId}:${claim.month}`;

// ── the public notice ───────────────────────────────────────────────────────────────────────────

export function decideObjection(claim: ClaimDoc, reason: string, caller: Caller, now: Date): ClaimChange | Refusal {
  if (claim.status !== 'notice') return refuse('FAILED_PRECONDITION', '这条记录已经不在公示期了。');
  if (caller.stationId !== claim.stationId) return refuse('FORBIDDEN', '只有本村村民可以提出异议。');
  if (claim.objections.some((o) => o.by === caller.openid && o.outcome === null))
    return refuse('CONFLICT', '您已经对这条记录提过异议了，请等待处理。');
  const objection = { by: caller.openid, byName: caller.name, reason, at: now, outcome: null };
  return {
    set: { objections: [...claim.objections, objection], openObjections: claim.openObjections + 1, updatedAt: now },
    cap: 0,
  };
}

/** Upheld: the record is cancelled in the open with the reason, its cap slot given back. */
export function decideSettlement(
  claim: ClaimDoc,
  input: { uphold: boolean; reason: string },
  caller: Caller,
  now: Date,
): ClaimChange | Refusal {
  if (claim.status !== 'notice' || claim.openObjections === 0)
    return refuse('FAILED_PRECONDITION', '这条记录没有待处理的异议。');
  if (!manages(caller, claim.path)) return refuse('FORBIDDEN', '您没有处理这条异议的权限。');
  if (caller.householdId === claim.householdId) return refuse('FORBIDDEN', '不能处理自己家的异议。');
  const outcome = `${input.uphold ? '异议成立' : '异议不成立'}：${input.reason}`;
  const objections = claim.objections.map((o) => (o.outcome === null ? { ...o, outcome } : o));
  if (!input.uphold) return { set: { objections, openObjections: 0, updatedAt: now }, cap: 0 };
  return { set: { objections, openObjections: 0, status: 'cancelled', updatedAt: now }, cap: -1 };
}

/** The notice is over and nobody's objection is open: the record goes to the ledger. */
export function dueForPosting(claim: ClaimDoc, now: Date): boolean {
  return claim.status === 'notice' && claim.openObjections === 0 && !!claim.noticeEndsAt && claim.noticeEndsAt <= now;
}

export function causeOf(claim: Pick<ClaimDoc, 'source' | 'points'>): LedgerCause {
  if (claim.source === 'hours') return 'hours';
  if (claim.source === 'order') return 'order';
  if (claim.source === 'award') return claim.points < 0 ? 'deduction' : 'award';
  return 'claim';
}

// ── the ledger ──────────────────────────────────────────────────────────────────────────────────

export interface Posting {
  key: string;
  household: Pick<HouseholdRef, 'id' | 'stationId' | 'path' | 'headName'>;
  cause: LedgerCause;
  points: number;
  note: string;
  refId: string | null;
  reverses: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  at: Date;
}

export function postingForClaim(claim: ClaimDoc, now: Date): Posting {
  const last = claim.reviews[claim.reviews.length - 1];
  return {
    key: `claim:${claim._id}`,
    household: { id: claim.householdId, stationId: claim.stationId, path: claim.path, headName: claim.householdName },
    cause: causeOf(claim),
    points: claim.points,
    note: `${claim.ruleName}${claim.note ? `：${claim.note}` : ''}`.slice(0, 200),
    refId: claim._id,
    reverses: null,
    approvedBy: last?.by ?? null,
    approvedByName: last?.byName ?? null,
    at: now,
  };
}

/** Causes that count on the roll of honour: conduct, not shopping. */
export const EARNING = (cause: LedgerCause, reversedCause?: LedgerCause): boolean =>
  cause === 'reversal' ? !!reversedCause && EARNING(reversedCause) : cause !== 'redemption' && cause !== 'refund';

/** The entry a posting makes on top of a balance. */
export function entryFor(p: Posting, balance: number): EntryDoc {
  return {
    _id: p.key,
    key: p.key,
    householdId: p.household.id,
    stationId: p.household.stationId,
    path: p.household.path,
    cause: p.cause,
    points: p.points,
    balanceAfter: balance + p.points,
    note: p.note,
    refId: p.refId,
    reverses: p.reverses,
    approvedBy: p.approvedBy,
    approvedByName: p.approvedByName,
    at: p.at,
  };
}

/** A mistaken entry is cancelled by its opposite; redemptions and refunds are settled by their own flow. */
export function decideReversal(entry: EntryDoc, reason: string, caller: Caller, now: Date): Posting | Refusal {
  if (!manages(caller, entry.path)) return refuse('FORBIDDEN', '您没有更正这户积分的权限。');
  if (caller.householdId === entry.householdId) return refuse('FORBIDDEN', '不能更正自己家的积分。');
  if (entry.cause === 'reversal' || entry.cause === 'redemption' || entry.cause === 'refund')
    return refuse('FAILED_PRECONDITION', '这条记录不能冲销。');
  return {
    key: `reversal:${entry._id}`,
    household: { id: entry.householdId, stationId: entry.stationId, path: entry.path, headName: '' },
    cause: 'reversal',
    points: -entry.points,
    note: `冲销：${reason}`.slice(0, 200),
    refId: entry.refId,
    reverses: entry._id,
    approvedBy: caller.openid,
    approvedByName: caller.name,
    at: now,
  };
}

// ── the supermarket ─────────────────────────────────────────────────────────────────────────────

/** The shops a household may buy from: its station's, and its institute's shared one. */
export const shopsFor = (householdPath: readonly string[]) => householdPath.slice(1);

export function decideRedeem(
  r: { id: string; requestKey: string; pickupCode: string; item: ItemDoc; household: HouseholdRef; balance: number },
  settings: IntegralSettings,
  now: Date,
): { redemption: RedemptionDoc; posting: Posting } | Refusal {
  const { item, household } = r;
  if (!item.enabled) return refuse('FAILED_PRECONDITION', '这件商品已下架。');
  if (!shopsFor(household.path).includes(item.stationId))
    return refuse('FORBIDDEN', '只能兑换本村或本所积分超市的商品。');
  if (item.stock <= 0) return refuse('FAILED_PRECONDITION', '这件商品已经兑换完了。');
  if (r.balance < item.points)
    return refuse('FAILED_PRECONDITION', `积分不够：需要${item.points}分，您家现有${r.balance}分。`);
  const redemption: RedemptionDoc = {
    _id: r.id,
    requestKey: r.requestKey,
    householdId: household.id,
    stationId: household.stationId,
    shopPath: item.path,
    itemId: item._id,
    itemName: item.name,
    points: item.points,
    pickupCode: r.pickupCode,
    pickupPlace: item.pickupPlace,
    status: 'reserved',
    expiresAt: new Date(now.getTime() + settings.pickupDays * 86_400_000),
    pickedAt: null,
    pickedBy: null,
    createdAt: now,
  };
  const posting: Posting = {
    key: `redeem:${r.id}`,
    household,
    cause: 'redemption',
    points: -item.points,
    note: `兑换：${item.name}`,
    refId: r.id,
    reverses: null,
    approvedBy: null,
    approvedByName: null,
    at: now,
  };
  return { redemption, posting };
}

export function decidePickup(red: RedemptionDoc, caller: Caller, now: Date): Partial<RedemptionDoc> | Refusal {
  if (!manages(caller, red.shopPath)) return refuse('FORBIDDEN', '这个取货码不是本站的。');
  if (red.status === 'picked') return refuse('CONFLICT', '这个取货码已经领取过了。');
  if (red.status === 'expired' || red.expiresAt <= now)
    return refuse('FAILED_PRECONDITION', '这个取货码已过期，积分已退回。');
  return { status: 'picked', pickedAt: now, pickedBy: caller.openid };
}

/** A reservation past its day: released, the stock back, the points refunded by a new entry. */
export function decideExpiry(
  red: RedemptionDoc,
  household: Posting['household'],
  now: Date,
): { set: Partial<RedemptionDoc>; posting: Posting } | null {
  if (red.status !== 'reserved' || red.expiresAt > now) return null;
  return {
    set: { status: 'expired' },
    posting: {
      key: `refund:${red._id}`,
      household,
      cause: 'refund',
      points: red.points,
      note: `过期未领，退回：${red.itemName}`,
      refId: red._id,
      reverses: `redeem:${red._id}`,
      approvedBy: null,
      approvedByName: null,
      at: now,
    },
  };
}

// ── conversions and the audit ───────────────────────────────────────────────────────────────────

/** Volunteer hours into points by the hours rule: whole hours times the rule's points. */
export const pointsForHours = (hours: number, rule: Pick<IntegralRule, 'points'>) =>
  Math.max(0, Math.floor(hours)) * rule.points;

/** A rated order fulfilment into points: a good rating (4 or 5 stars) earns the order rule's points. */
export const pointsForRating = (stars: number, rule: Pick<IntegralRule, 'points'>) => (stars >= 4 ? rule.points : 0);

/** Households whose cached balance is not the sum of their entries (the auditor's check). */
export function auditBalances(
  sums: ReadonlyMap<string, number>,
  cached: ReadonlyMap<string, number>,
): { householdId: string; cached: number | null; sum: number }[] {
  const ids = new Set([...sums.keys(), ...cached.keys()]);
  return [...ids]
    .filter((id) => (sums.get(id) ?? 0) !== (cached.get(id) ?? 0))
    .map((id) => ({ householdId: id, cached: cached.get(id) ?? null, sum: sums.get(id) ?? 0 }));
}
