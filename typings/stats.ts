/**
 * The command center's contract (指挥中心): figures for a node of the tree and each of its children,
 * the county's assessment (考核), Excel exports and the public figures of the big screen (大屏).
 * Action names and the fields named in issue 10 are fixed (an outside suite calls them); the rest is
 * designed here and documented once for both sides.
 *
 * Figures are never computed by reading every order on a view: they are kept as the work happens, in
 * the `figures` collection (one document per node and Beijing month, each day's counters inside, raised
 * in the same transaction as the change), and a view sums the months of the period — whole months by
 * their totals, months covered in part by their days — for a node and its children. Figures are kept for the
 * center, the institutes and the stations: a point's work counts for its station, so a station's
 * overview has no children.
 */
import type { Category, Level } from './domain';
import type { OrderKind } from './order';

/** Dates are Beijing calendar days, `YYYY-MM-DD`, both ends included. Default: 1 January this year → today. */
export interface Period {
  from?: string;
  to?: string;
}

export interface OrderFigures {
  /** Wishes and whistles posted (created) in the period. */
  posted: number;
  /** Reviewed (passed or rejected) by a station head. */
  reviewed: number;
  /** Fulfilled by a volunteer (the volunteer said 办好了). */
  fulfilled: number;
  /** Closed: rated by the requester or closed by the timer after fulfilment. */
  closed: number;
  rejected: number;
  cancelled: number;
  /** Climbed a level at an SLA breach. */
  escalated: number;
  /** Turned red at the center. */
  red: number;
}

/**
 * All figures of one node over one period. `fulfilmentRate` (实现率) is fulfilled ÷ (posted − rejected −
 * cancelled) in the period, as the county's annual report counts it: a wish that did not pass review or
 * that its requester withdrew is not one the network owed; null when nothing was owed.
 */
export interface Figures {
  orders: OrderFigures;
  /** By kind: 微心愿 (wish) and 吹哨 (whistle). */
  byKind: Record<OrderKind, { posted: number; fulfilled: number }>;
  /** By service category (十送). */
  byCategory: Record<Category, { posted: number; fulfilled: number }>;
  fulfilmentRate: number | null;
  /** Median minutes from posting to a volunteer's accept, and to fulfilment; from bucketed durations. */
  medianAcceptMin: number | null;
  medianFulfilMin: number | null;
  /** Average of the requesters' ratings (1–5), and how many there were. */
  ratingAverage: number | null;
  ratings: number;
  volunteers: {
    /** Approved in the period. */
    registered: number;
    /**
     * Distinct people who checked in or fulfilled an order, counted once per node and month; over
     * several months, the sum of each month's.
     */
    active: number;
  };
  activities: { held: number; checkins: number };
  hours: { recordedMinutes: number; honourMinutes: number };
  points: { issued: number; deducted: number; redeemed: number };
}

export interface NodeFigures extends Figures {
  orgId: string;
  name: string;
  level: Level;
}

/** One month of the trend line. */
export interface TrendPoint {
  /** `YYYY-MM` */
  month: string;
  posted: number;
  fulfilled: number;
  fulfilmentRate: number | null;
  checkins: number;
  recordedMinutes: number;
}

export interface Overview extends NodeFigures {
  from: string;
  to: string;
  /** The node's children with the same figures, laggards (lowest fulfilment rate) first. */
  children: (NodeFigures & { lagging: boolean })[];
  /** The median of the children's fulfilment rates, shown beside them. */
  childMedianRate: number | null;
  /** Month by month over the period (at most 24 months). */
  trend: TrendPoint[];
}

/** The indicators an assessment method may weigh. */
export const INDICATORS = [
  'fulfilmentRate',
  'activitiesPerStationMonth',
  'volunteerParticipation',
  'ratingAverage',
  'responseHours',
] as const;
export type IndicatorKey = (typeof INDICATORS)[number];

export const INDICATOR_LABELS: Record<IndicatorKey, string> = {
  fulfilmentRate: '心愿实现率',
  activitiesPerStationMonth: '每站每月活动场次',
  volunteerParticipation: '志愿者参与率',
  ratingAverage: '群众满意度',
  responseHours: '响应时间',
};

export interface Indicator {
  key: IndicatorKey;
  /** Weights of a method add up to 100. */
  weight: number;
  /** The value that earns the full weight (for responseHours: at or below it). */
  target: number;
}

export interface AssessmentMethod {
  indicators: Indicator[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface AssessmentPart {
  key: IndicatorKey;
  value: number | null;
  weight: number;
  /** Points earned out of `weight`. */
  score: number;
}

export interface AssessmentRow {
  orgId: string;
  name: string;
  level: Level;
  rank: number;
  /** Out of 100. */
  score: number;
  parts: AssessmentPart[];
}

export const EXPORT_KINDS = ['orders', 'volunteers', 'activities', 'ledger', 'figures'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_LABELS: Record<ExportKind, string> = {
  orders: '工单明细',
  volunteers: '志愿者与服务时长',
  activities: '活动与签到名单',
  ledger: '积分台账与兑换',
  figures: '统计数据',
};

/** What the big screen shows: aggregates only, never a name, a phone number or anything about one person. */
export interface PublicFigures {
  updatedAt: string;
  county: string;
  year: {
    posted: number;
    fulfilled: number;
    fulfilmentRate: number | null;
    activities: number;
    checkins: number;
    recordedHours: number;
    pointsIssued: number;
    volunteers: number;
  };
  today: { posted: number; fulfilled: number; checkins: number };
  trend: TrendPoint[];
  byCategory: { category: Category; label: string; posted: number; fulfilled: number }[];
  /** Stations with their place, coloured on the map by fulfilment rate. */
  stations: { id: string; name: string; lat: number; lng: number; fulfilmentRate: number | null }[];
}

export interface StatsApi {
  /** Figures of a node in the caller's scope (default: the caller's own node) and of each child. */
  overview: { req: Period & { orgId?: string }; res: Overview };
  /** The league table of the node's institutes or stations under the center's method. */
  assessment: {
    req: Period & { orgId?: string; level?: 'institute' | 'station' };
    res: { method: AssessmentMethod; rows: AssessmentRow[]; from: string; to: string };
  };
  /** The center sets the method (center admins only). */
  setAssessment: { req: { indicators: Indicator[] }; res: AssessmentMethod };
  /** A workbook of the caller's scope and period, written to cloud storage. */
  export: {
    req: Period & { kind: ExportKind; orgId?: string };
    res: { fileID: string; url: string; name: string; rows: number };
  };
  /** No login: the county's public aggregate figures (what the big screen shows). */
  public: { req: Record<string, never>; res: PublicFigures };
}
