/**
 * Moral integral (道德积分) and the points supermarket (积分超市) as data: the rule groups, the causes
 * of a ledger entry, the statuses of a claim and of a redemption, each with its Chinese label, the
 * settings' defaults, and the `integral` function's contract. Shared by both sides.
 */
import type { NoFields } from './api';

/** The groups of the rule catalogue, as the county's "mirror and ruler" names them. */
export const RULE_GROUPS = ['filial', 'neighbour', 'environment', 'volunteer', 'customs', 'law', 'diligence'] as const;
export type RuleGroup = (typeof RULE_GROUPS)[number];

export const RULE_GROUP_LABELS: Record<RuleGroup, string> = {
  filial: '孝老爱亲',
  neighbour: '邻里互助',
  environment: '环境整治',
  volunteer: '志愿服务',
  customs: '移风易俗（四树五禁）',
  law: '遵纪守法',
  diligence: '勤劳致富',
};

/** Why a household's balance changed: every ledger entry has exactly one. */
export const LEDGER_CAUSES = [
  'claim',
  'award',
  'deduction',
  'hours',
  'order',
  'redemption',
  'refund',
  'reversal',
] as const;
export type LedgerCause = (typeof LEDGER_CAUSES)[number];

export const LEDGER_CAUSE_LABELS: Record<LedgerCause, string> = {
  claim: '申报加分',
  award: '站长加分',
  deduction: '扣分',
  hours: '志愿时长折算',
  order: '服务评价折算',
  redemption: '积分兑换',
  refund: '兑换退回',
  reversal: '更正冲销',
};

/** Where a claim (a record of points on their way to the ledger) came from. */
export const CLAIM_SOURCES = ['self', 'recommend', 'award', 'hours', 'order'] as const;
export type ClaimSource = (typeof CLAIM_SOURCES)[number];

export const CLAIM_SOURCE_LABELS: Record<ClaimSource, string> = {
  self: '本户申报',
  recommend: '邻里推荐',
  award: '站长评定',
  hours: '志愿时长',
  order: '服务评价',
};

export const CLAIM_STATUSES = ['pending', 'second', 'notice', 'posted', 'rejected', 'cancelled'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  pending: '待审核',
  second: '待所里复核',
  notice: '公示中',
  posted: '已入账',
  rejected: '未通过',
  cancelled: '异议成立，已撤销',
};

export const REDEMPTION_STATUSES = ['reserved', 'picked', 'expired'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

export const REDEMPTION_STATUS_LABELS: Record<RedemptionStatus, string> = {
  reserved: '待领取',
  picked: '已领取',
  expired: '过期未领，积分已退回',
};

/** The center's settings for every station (defaults; the center may change them). */
export interface IntegralSettings {
  /** Days an approved record stays on the public notice board before it is posted. */
  noticeDays: number;
  /** An award, deduction or claim worth more than this (either sign) needs the institute's second approval. */
  secondApprovalAbove: number;
  /** More approvals than this by one person within burstWindowMin flags them to the institute. */
  burstLimit: number;
  burstWindowMin: number;
  /** Days a reserved item waits to be picked up before it is released and refunded. */
  pickupDays: number;
}

export const INTEGRAL_DEFAULTS: IntegralSettings = {
  noticeDays: 3,
  secondApprovalAbove: 20,
  burstLimit: 30,
  burstWindowMin: 60,
  pickupDays: 7,
};

/** What each setting may be set to (both ends allowed), checked by the function and shown by the page. */
export const INTEGRAL_SETTING_BOUNDS: Record<keyof IntegralSettings, { min: number; max: number }> = {
  noticeDays: { min: 1, max: 30 },
  secondApprovalAbove: { min: 1, max: 1000 },
  burstLimit: { min: 1, max: 500 },
  burstWindowMin: { min: 5, max: 1440 },
  pickupDays: { min: 1, max: 60 },
};

export const INTEGRAL_LIMITS = { noteMax: 200, reasonMax: 200, photos: 3, itemNameMax: 30, placeMax: 60 } as const;

export interface IntegralRule {
  /** The rule's code in the center template: also its id in every station. */
  id: string;
  name: string;
  group: RuleGroup;
  /** Positive: points earned; negative: a deduction. */
  points: number;
  /** Photos or a witness are needed before a station head may approve a claim. */
  evidence: boolean;
  /** How many times a household may earn it in one month (null: no cap). */
  monthlyCap: number | null;
  /** Villagers may claim it themselves (deductions and converted ones are given by the station). */
  claimable: boolean;
  enabled: boolean;
}

export interface IntegralPhoto {
  fileId: string;
  check: 'pending' | 'pass' | 'rejected';
}

export interface IntegralClaim {
  id: string;
  source: ClaimSource;
  status: ClaimStatus;
  householdId: string;
  householdName: string;
  stationId: string;
  ruleId: string;
  ruleName: string;
  points: number;
  note: string;
  /** The photos: shown to the household, the reviewers and, once passed, on the board. */
  photos: IntegralPhoto[];
  by: { openid: string; name: string | null };
  reviews: { by: string; byName: string | null; approve: boolean; reason: string | null; at: string }[];
  noticeEndsAt: string | null;
  objections: { by: string; byName: string | null; reason: string; at: string; outcome: string | null }[];
  /** Flagged to the institute: a burst of approvals by one person. */
  flagged: boolean;
  /** A photo of it failed WeChat's image check: hidden from everyone, the record marked for the reviewer. */
  photoRejected: boolean;
  createdAt: string;
}

export interface LedgerEntry {
  id: string;
  householdId: string;
  cause: LedgerCause;
  points: number;
  /** The balance right after this entry. */
  balanceAfter: number;
  note: string;
  /** The claim, redemption or entry it comes from. */
  refId: string | null;
  /** For a reversal: the entry it cancels. */
  reverses: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  at: string;
}

export interface IntegralItem {
  id: string;
  stationId: string;
  name: string;
  picture: string | null;
  points: number;
  stock: number;
  pickupPlace: string;
  enabled: boolean;
}

export interface Redemption {
  id: string;
  householdId: string;
  itemId: string;
  itemName: string;
  points: number;
  pickupCode: string;
  pickupPlace: string;
  status: RedemptionStatus;
  expiresAt: string;
  pickedAt: string | null;
  createdAt: string;
}

export interface RankRow {
  householdId: string;
  headName: string;
  stationId: string;
  points: number;
}

export type ClaimListScope = 'mine' | 'queue' | 'second' | 'flagged';

export interface IntegralApi {
  /** The station's rule catalogue (the caller's station, or one in a manager's scope). */
  rules: { req: { stationId?: string }; res: { rules: IntegralRule[] } };
  /** A station head adjusts a rule within the center's bounds. */
  setRule: {
    req: { stationId: string; ruleId: string; points?: number; monthlyCap?: number | null; enabled?: boolean };
    res: IntegralRule;
  };
  /** A villager claims for their household, or recommends another household of the village. */
  claim: {
    req: { ruleId: string; note: string; photos?: string[]; householdId?: string; requestId: string };
    res: { id: string; status: ClaimStatus };
  };
  /** mine: my household's; queue: awaiting the station head; second: awaiting the institute; flagged: bursts. */
  claims: {
    req: { scope: ClaimListScope; stationId?: string; page?: number };
    res: { claims: IntegralClaim[]; nextPage: number | null };
  };
  review: { req: { id: string; approve: boolean; reason?: string }; res: IntegralClaim };
  /** The station head awards (or, with a negative rule, deducts) directly, with evidence. */
  award: {
    req: { householdId: string; ruleId: string; note: string; photos?: string[]; requestId: string };
    res: { id: string; status: ClaimStatus };
  };
  /** The village's public notice board: what is on notice now and what was recently cancelled. */
  notices: { req: { stationId?: string; page?: number }; res: { claims: IntegralClaim[]; nextPage: number | null } };
  /** A villager of the village objects to a record on notice. */
  object: { req: { id: string; reason: string }; res: IntegralClaim };
  /** The station head (or the institute) settles an objection: upheld cancels the record. */
  settleObjection: { req: { id: string; uphold: boolean; reason: string }; res: IntegralClaim };
  ledger: {
    req: { householdId?: string; page?: number };
    res: { entries: LedgerEntry[]; nextPage: number | null };
  };
  balance: { req: { householdId?: string }; res: { householdId: string; balance: number } };
  /** A mistaken entry is cancelled by a new one pointing at it. */
  reverse: { req: { entryId: string; reason: string }; res: LedgerEntry };
  items: { req: { stationId?: string }; res: { items: IntegralItem[] } };
  saveItem: {
    req: {
      stationId: string;
      id?: string;
      name: string;
      points: number;
      /** Stock to add (negative to take some back, never below zero). */
      addStock: number;
      pickupPlace: string;
      picture?: string;
      enabled?: boolean;
    };
    res: IntegralItem;
  };
  redeem: { req: { itemId: string; requestId: string }; res: Redemption };
  /** mine: my household's pickup codes; station: the station's open reservations. */
  redemptions: {
    req: { scope: 'mine' | 'station'; stationId?: string; page?: number };
    res: { redemptions: Redemption[]; nextPage: number | null };
  };
  verifyPickup: { req: { code: string }; res: Redemption };
  /** The roll of honour (红榜): a month (2026-11) or a year (2026) within the caller's station or scope. */
  rank: {
    req: { period?: string; orgId?: string };
    res: { period: string; orgId: string; rows: RankRow[] };
  };
  settings: { req: NoFields; res: IntegralSettings };
  /** The center admin changes the settings every station runs by (each within INTEGRAL_SETTING_BOUNDS). */
  setSettings: { req: { settings: IntegralSettings }; res: IntegralSettings };
}
