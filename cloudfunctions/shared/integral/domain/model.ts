/**
 * Moral integral as stored: claims on their way to the ledger, ledger entries, cached balances, rank
 * tallies, items and redemptions, and how each is shown. Plain data and pure functions, no SDK.
 */
import type {
  ClaimSource,
  ClaimStatus,
  IntegralClaim,
  IntegralItem,
  LedgerCause,
  LedgerEntry,
  Redemption,
  RedemptionStatus,
  RuleGroup,
} from '../../../../typings/integral';
import { shanghaiClock } from '../../../../typings/time';

export interface PhotoDoc {
  fileId: string;
  check: 'pending' | 'pass' | 'rejected';
  traceId: string | null;
  /** WeChat's answer to the image check, as the mediacheck push gave it. */
  verdict?: { suggest: string; label: string | number | null; at: Date };
}

export interface ReviewDoc {
  by: string;
  byName: string | null;
  approve: boolean;
  reason: string | null;
  at: Date;
}

export interface ObjectionDoc {
  by: string;
  byName: string | null;
  reason: string;
  at: Date;
  /** null while open; then the settlement in words. */
  outcome: string | null;
}

export interface ClaimDoc {
  _id: string;
  /** `${openid}:${requestId}`: a retried claim or award is one record. */
  requestKey: string;
  source: ClaimSource;
  status: ClaimStatus;
  householdId: string;
  householdName: string;
  stationId: string;
  /** The station's path: the reviewers' scope is one indexed query on it. */
  path: string[];
  ruleId: string;
  ruleName: string;
  group: RuleGroup;
  points: number;
  /** The rule's monthly cap when the record was made (null: uncapped). */
  monthlyCap: number | null;
  /** Asia/Shanghai month the cap counts in, e.g. 2026-11. */
  month: string;
  note: string;
  photos: PhotoDoc[];
  by: { openid: string; name: string | null; householdId: string | null };
  reviews: ReviewDoc[];
  reviewedBy: string | null;
  reviewedAt: Date | null;
  noticeEndsAt: Date | null;
  objections: ObjectionDoc[];
  openObjections: number;
  flagged: boolean;
  /** The ledger entry it became, once posted. */
  entryId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EntryDoc {
  /** The idempotency key, also the id: claim:<id>, redeem:<id>, refund:<id>, reversal:<entry id>. */
  _id: string;
  key: string;
  householdId: string;
  stationId: string;
  path: string[];
  cause: LedgerCause;
  points: number;
  balanceAfter: number;
  note: string;
  refId: string | null;
  reverses: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  at: Date;
}

export interface BalanceDoc {
  _id: string;
  householdId: string;
  stationId: string;
  path: string[];
  balance: number;
  entries: number;
  updatedAt: Date;
}

export interface TallyDoc {
  _id: string;
  householdId: string;
  headName: string;
  stationId: string;
  path: string[];
  period: string;
  points: number;
}

export interface CapDoc {
  _id: string;
  count: number;
}

export interface ItemDoc {
  _id: string;
  /** The station (or, for a shared shop, the institute) that runs it. */
  stationId: string;
  path: string[];
  name: string;
  picture: string | null;
  points: number;
  stock: number;
  pickupPlace: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface RedemptionDoc {
  _id: string;
  requestKey: string;
  householdId: string;
  /** The household's station path (for its ledger) and the shop's path (for who checks the code). */
  stationId: string;
  shopPath: string[];
  itemId: string;
  itemName: string;
  points: number;
  pickupCode: string;
  pickupPlace: string;
  status: RedemptionStatus;
  expiresAt: Date;
  pickedAt: Date | null;
  pickedBy: string | null;
  createdAt: Date;
}

/** The household a claim or entry belongs to, as the domain needs it. */
export interface HouseholdRef {
  id: string;
  stationId: string;
  path: string[];
  headName: string;
  memberOpenids: string[];
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Photos are shown to everyone only once checked; the household and the reviewers see them all. */
export function toClaim(doc: ClaimDoc, seeUnchecked: boolean): IntegralClaim {
  return {
    id: doc._id,
    source: doc.source,
    status: doc.status,
    householdId: doc.householdId,
    householdName: doc.householdName,
    stationId: doc.stationId,
    ruleId: doc.ruleId,
    ruleName: doc.ruleName,
    points: doc.points,
    note: doc.note,
    photos: doc.photos
      .filter((p) => p.check === 'pass' || (seeUnchecked && p.check === 'pending'))
      .map((p) => ({ fileId: p.fileId, check: p.check })),
    by: { openid: doc.by.openid, name: doc.by.name },
    reviews: doc.reviews.map((r) => ({ ...r, at: iso(r.at) as string })),
    noticeEndsAt: iso(doc.noticeEndsAt),
    objections: doc.objections.map((o) => ({ ...o, at: iso(o.at) as string })),
    flagged: doc.flagged,
    photoRejected: doc.photos.some((p) => p.check === 'rejected'),
    createdAt: iso(doc.createdAt) as string,
  };
}

export function toEntry(doc: EntryDoc): LedgerEntry {
  return {
    id: doc._id,
    householdId: doc.householdId,
    cause: doc.cause,
    points: doc.points,
    balanceAfter: doc.balanceAfter,
    note: doc.note,
    refId: doc.refId,
    reverses: doc.reverses,
    approvedBy: doc.approvedBy,
    approvedByName: doc.approvedByName,
    at: iso(doc.at) as string,
  };
}

export function toItem(doc: ItemDoc): IntegralItem {
  return {
    id: doc._id,
    stationId: doc.stationId,
    name: doc.name,
    picture: doc.picture,
    points: doc.points,
    stock: doc.stock,
    pickupPlace: doc.pickupPlace,
    enabled: doc.enabled,
  };
}

export function toRedemption(doc: RedemptionDoc): Redemption {
  return {
    id: doc._id,
    householdId: doc.householdId,
    itemId: doc.itemId,
    itemName: doc.itemName,
    points: doc.points,
    pickupCode: doc.pickupCode,
    pickupPlace: doc.pickupPlace,
    status: doc.status,
    expiresAt: iso(doc.expiresAt) as string,
    pickedAt: iso(doc.pickedAt),
    createdAt: iso(doc.createdAt) as string,
  };
}

/** Asia/Shanghai (UTC+8, no daylight saving) month and year of a moment: 2026-11 and 2026. */
export function periodsOf(at: Date): { month: string; year: string } {
  const month = shanghaiClock(at).toISOString().slice(0, 7);
  return { month, year: month.slice(0, 4) };
}

export const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]))?$/;
