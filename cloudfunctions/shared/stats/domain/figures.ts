/**
 * Figures kept as the work happens: what each event adds to the counters of the day and month it
 * happened in, for the node it happened at and every node above it; how the kept counters of a period
 * sum into the Figures of typings/stats.ts. The live writes (order, activity, user and integral
 * stores) and the recompute check (scripts/stats-check.ts) both take their deltas from here, so the
 * two can only agree. Pure: no SDK, no I/O, no clock.
 */
import { CATEGORIES, type Category, type Level } from '../../../../typings/domain';
import { ORDER_KINDS, type OrderKind } from '../../../../typings/order';
import type { Figures, TrendPoint } from '../../../../typings/stats';

/** A change to counters: counter name → amount (names are flat fields of a figure document). */
export type Delta = Record<string, number>;

/** Beijing is UTC+8 all year: a day or month of the county's calendar. */
const BEIJING_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const dayNames = new Map<number, string>();
export function dayOf(at: Date | string | number): string {
  const n = Math.floor((new Date(at).getTime() + BEIJING_MS) / DAY_MS);
  let name = dayNames.get(n);
  if (name === undefined) {
    name = new Date(n * DAY_MS).toISOString().slice(0, 10);
    // The recompute names millions of instants: each day's name is worked out once.
    if (dayNames.size < 100_000) dayNames.set(n, name);
  }
  return name;
}
export const monthOf = (at: Date | string | number): string => dayOf(at).slice(0, 7);

/** Upper edges (minutes) of the duration buckets; a last open bucket follows. */
export const DURATION_EDGES = [15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200] as const;

export function bucketOf(minutes: number): number {
  const i = DURATION_EDGES.findIndex((e) => minutes < e);
  return i < 0 ? DURATION_EDGES.length : i;
}

/** Counter names. */
export const K = {
  posted: 'posted',
  reviewed: 'reviewed',
  fulfilled: 'fulfilled',
  closed: 'closed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  escalated: 'escalated',
  red: 'red',
  ratingSum: 'ratingSum',
  ratingCount: 'ratingCount',
  registered: 'volRegistered',
  active: 'volActive',
  held: 'actHeld',
  checkins: 'checkins',
  recordedMinutes: 'recordedMinutes',
  honourMinutes: 'honourMinutes',
  issued: 'ptsIssued',
  deducted: 'ptsDeducted',
  redeemed: 'ptsRedeemed',
  kind: (k: OrderKind, f: 'posted' | 'fulfilled') => `k_${k}_${f}`,
  cat: (c: Category, f: 'posted' | 'fulfilled') => `c_${c}_${f}`,
  accept: (b: number) => `acc_${b}`,
  fulfil: (b: number) => `ful_${b}`,
} as const;

/** Every month-total counter name: what a read of whole months asks for (the days left out). */
export const TOTAL_KEYS: readonly string[] = [
  ...Object.values(K).flatMap((v) => (typeof v === 'string' ? [v] : [])),
  ...ORDER_KINDS.flatMap((k) => [K.kind(k, 'posted'), K.kind(k, 'fulfilled')]),
  ...CATEGORIES.flatMap((c) => [K.cat(c, 'posted'), K.cat(c, 'fulfilled')]),
  ...Array.from({ length: DURATION_EDGES.length + 1 }, (_, b) => [K.accept(b), K.fulfil(b)]).flat(),
];

export function add(into: Delta, d: Delta, sign = 1): Delta {
  for (const [k, v] of Object.entries(d)) if (v) into[k] = (into[k] ?? 0) + sign * v;
  return into;
}

export const isEmpty = (d: Delta) => Object.values(d).every((v) => !v);

// ── orders ────────────────────────────────────────────────────────────────────────────────────

/** The parts of an order and of its timeline events the figures read. */
export interface OrderFacts {
  kind: OrderKind;
  category: Category;
  createdAt: Date | string;
}
export interface EventFacts {
  type: string;
  from: string | null;
  to: string;
  by: string;
  at: Date | string;
  stars?: number;
}

const minutesBetween = (a: Date | string, b: Date | string) =>
  Math.max(0, (new Date(b).getTime() - new Date(a).getTime()) / 60_000);

/**
 * What one event of an order's timeline adds, given the events before it. A reopened order gives back
 * its fulfilment (and its close and rating, if it had them) on the day it is reopened.
 */
export function orderEventDelta(o: OrderFacts, before: readonly EventFacts[], e: EventFacts): Delta {
  const fulfilledDelta = (sign: number): Delta => ({
    [K.fulfilled]: sign,
    [K.kind(o.kind, 'fulfilled')]: sign,
    [K.cat(o.category, 'fulfilled')]: sign,
  });
  switch (e.type) {
    case 'created':
      return { [K.posted]: 1, [K.kind(o.kind, 'posted')]: 1, [K.cat(o.category, 'posted')]: 1 };
    case 'reviewed':
      return { [K.reviewed]: 1 };
    case 'rejected':
      return { [K.reviewed]: 1, [K.rejected]: 1 };
    case 'accepted':
    case 'claimed':
      return { [K.accept(bucketOf(minutesBetween(o.createdAt, e.at)))]: 1 };
    case 'fulfilled':
      return { ...fulfilledDelta(1), [K.fulfil(bucketOf(minutesBetween(o.createdAt, e.at)))]: 1 };
    case 'rated':
    case 'autoClosed':
      return { [K.closed]: 1, ...(e.stars ? { [K.ratingSum]: e.stars, [K.ratingCount]: 1 } : {}) };
    case 'cancelled':
      return { [K.cancelled]: 1 };
    case 'escalated':
      return { [K.escalated]: 1 };
    case 'overdue':
      return { [K.red]: 1 };
    case 'reopened': {
      const d = fulfilledDelta(-1);
      if (e.from === 'closed') {
        d[K.closed] = -1;
        const rated = [...before].reverse().find((x) => x.type === 'rated' || x.type === 'autoClosed');
        if (rated?.stars) Object.assign(d, { [K.ratingSum]: -rated.stars, [K.ratingCount]: -1 });
      }
      return d;
    }
    default:
      return {};
  }
}

/** The volunteer an event shows active (they fulfilled an order), if any. */
export const orderEventActor = (e: EventFacts): string | null => (e.type === 'fulfilled' ? e.by : null);

// ── figure documents ──────────────────────────────────────────────────────────────────────────

export type Grain = 'month';

/**
 * One node's counters for one Beijing month: the month's totals (`posted`, …) and, in the same
 * document, each day's (`d02_posted`: the 2nd), so a change raises one document a node — three for a
 * station's order — and a period is read from the months it touches, whole or in part.
 */
export interface FigureDoc {
  /** `${orgId}:${YYYY-MM}` */
  _id: string;
  orgId: string;
  /** The node and its parent: a node's and its children's documents are one query (`nodes: id`). */
  nodes: string[];
  grain: Grain;
  /** `YYYY-MM` */
  period: string;
  month: string;
  [counter: string]: unknown;
}

/**
 * A node's month is kept in up to FIGURE_SHARDS documents — `haian:2026-03` and `haian:2026-03#1` … —
 * so that concurrent changes (five hundred check-ins in a minute, all raising the same county month)
 * do not all write one document: each change raises one shard, picked at random by the store, and a
 * reader sums whatever shards exist (every reader sums the documents of a node and month). Shard 0 is
 * the plain id, which is what the recompute writes.
 */
export const FIGURE_SHARDS = 4;

export const figureId = (orgId: string, month: string, shard = 0) =>
  shard > 0 ? `${orgId}:${month}#${shard}` : `${orgId}:${month}`;

/** The id of a node and month without its shard (the recompute check compares those). */
export const unsharded = (id: string) => id.replace(/#\d+$/, '');

/** A day's counter in its month's document: `d02_posted`. */
export const dayKey = (day: string, k: string) => `d${day.slice(8, 10)}_${k}`;
const DAY_KEY = /^d(\d\d)_(.+)$/;

/** A delta raised at a place (its path, center first) on a day: the documents it changes and by how much. */
export interface Raise {
  path: readonly string[];
  at: Date | string;
  delta: Delta;
  /** Raise only this node of the path (a volunteer active at one node, not the others). */
  only?: string;
}

export interface FigureWrite {
  id: string;
  /** The document as created when it does not exist yet. */
  base: FigureDoc;
  delta: Delta;
}

/** A delta as it lands in a month document: the month's counters and the day's. */
export function monthDelta(day: string, delta: Delta): Delta {
  const out: Delta = {};
  for (const [k, v] of Object.entries(delta)) {
    if (!v) continue;
    out[k] = v;
    out[dayKey(day, k)] = v;
  }
  return out;
}

/** The month document of every node of the path, each with the delta (merged per document). */
export function writesOf(raises: readonly Raise[], shard = 0): FigureWrite[] {
  const out = new Map<string, FigureWrite>();
  for (const r of raises) {
    if (isEmpty(r.delta)) continue;
    const day = dayOf(r.at);
    const month = day.slice(0, 7);
    const delta = monthDelta(day, r.delta);
    r.path.forEach((orgId, i) => {
      if (r.only !== undefined && r.only !== orgId) return;
      const parent = i > 0 ? r.path[i - 1] : null;
      const id = figureId(orgId, month, shard);
      const w = out.get(id) ?? {
        id,
        base: { _id: id, orgId, nodes: parent ? [orgId, parent] : [orgId], grain: 'month', period: month, month },
        delta: {},
      };
      add(w.delta, delta);
      out.set(id, w);
    });
  }
  return [...out.values()].filter((w) => !isEmpty(w.delta));
}

/** A volunteer seen active (a check-in, a fulfilment) at a place (its path, center first) at a time. */
export interface Active {
  openid: string;
  path: readonly string[];
  at: Date | string;
}

/** Active volunteers are distinct per node and month: the marker that makes a volunteer count once. */
export const activeMarkId = (openid: string, orgId: string, month: string) => `${openid}:${orgId}:${month}`;

// ── periods ───────────────────────────────────────────────────────────────────────────────────

const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonth(m)) out.push(m);
  return out;
}

// ── summing ───────────────────────────────────────────────────────────────────────────────────

/** The sum of month documents' totals (their day counters left out). */
export function sumOf(docs: readonly Record<string, unknown>[]): Delta {
  const out: Delta = {};
  for (const d of docs) {
    for (const [k, v] of Object.entries(d)) {
      if (typeof v === 'number' && !DAY_KEY.test(k)) out[k] = (out[k] ?? 0) + v;
    }
  }
  return out;
}

/**
 * The sum over a period of month documents: a month the period covers whole by its totals, one it
 * covers in part by the days in range.
 */
export function sumIn(docs: readonly FigureDoc[], from: string, to: string): Delta {
  const out: Delta = {};
  for (const d of docs) {
    const first = `${d.month}-01`;
    const last = lastDayOf(d.month);
    if (last < from || first > to) continue;
    if (from <= first && to >= last) {
      add(out, sumOf([d]));
      continue;
    }
    const a = from > first ? from.slice(8, 10) : '01';
    const b = to < last ? to.slice(8, 10) : '31';
    for (const [k, v] of Object.entries(d)) {
      const m = typeof v === 'number' ? DAY_KEY.exec(k) : null;
      if (m && m[1] >= a && m[1] <= b) out[m[2]] = (out[m[2]] ?? 0) + (v as number);
    }
  }
  return out;
}

/** fulfilled ÷ (posted − rejected − cancelled): the county's 实现率; null when nothing was owed. */
export function fulfilmentRate(c: Delta): number | null {
  const owed = (c[K.posted] ?? 0) - (c[K.rejected] ?? 0) - (c[K.cancelled] ?? 0);
  return owed > 0 ? Math.round(((c[K.fulfilled] ?? 0) / owed) * 10_000) / 10_000 : null;
}

/** The median of a bucketed histogram, interpolated within its bucket (minutes, rounded). */
export function medianOf(c: Delta, key: (b: number) => string): number | null {
  const counts = Array.from({ length: DURATION_EDGES.length + 1 }, (_, b) => Math.max(0, c[key(b)] ?? 0));
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const half = n / 2;
  let seen = 0;
  for (let b = 0; b < counts.length; b += 1) {
    if (counts[b] === 0) continue;
    if (seen + counts[b] >= half) {
      const lo = b === 0 ? 0 : DURATION_EDGES[b - 1];
      if (b === DURATION_EDGES.length) return lo;
      const hi = DURATION_EDGES[b];
      return Math.round(lo + ((half - seen) / counts[b]) * (hi - lo));
    }
    seen += counts[b];
  }
  return null;
}

const n = (c: Delta, k: string) => c[k] ?? 0;

/** The Figures of typings/stats.ts from summed counters. */
export function figuresOf(c: Delta): Figures {
  const ratings = n(c, K.ratingCount);
  return {
    orders: {
      posted: n(c, K.posted),
      reviewed: n(c, K.reviewed),
      fulfilled: n(c, K.fulfilled),
      closed: n(c, K.closed),
      rejected: n(c, K.rejected),
      cancelled: n(c, K.cancelled),
      escalated: n(c, K.escalated),
      red: n(c, K.red),
    },
    byKind: Object.fromEntries(
      ORDER_KINDS.map((k) => [k, { posted: n(c, K.kind(k, 'posted')), fulfilled: n(c, K.kind(k, 'fulfilled')) }]),
    ) as Figures['byKind'],
    byCategory: Object.fromEntries(
      CATEGORIES.map((k) => [k, { posted: n(c, K.cat(k, 'posted')), fulfilled: n(c, K.cat(k, 'fulfilled')) }]),
    ) as Figures['byCategory'],
    fulfilmentRate: fulfilmentRate(c),
    medianAcceptMin: medianOf(c, K.accept),
    medianFulfilMin: medianOf(c, K.fulfil),
    ratingAverage: ratings > 0 ? Math.round((n(c, K.ratingSum) / ratings) * 100) / 100 : null,
    ratings,
    volunteers: { registered: n(c, K.registered), active: n(c, K.active) },
    activities: { held: n(c, K.held), checkins: n(c, K.checkins) },
    hours: { recordedMinutes: n(c, K.recordedMinutes), honourMinutes: n(c, K.honourMinutes) },
    points: { issued: n(c, K.issued), deducted: n(c, K.deducted), redeemed: n(c, K.redeemed) },
  };
}

/** The month-by-month trend of one node's documents over the period. */
export function trendOf(docs: readonly FigureDoc[], from: string, to: string): TrendPoint[] {
  const byMonth = new Map<string, FigureDoc[]>();
  for (const d of docs) byMonth.set(d.month, [...(byMonth.get(d.month) ?? []), d]);
  return monthsBetween(from, to).map((month) => {
    const c = sumIn(byMonth.get(month) ?? [], from, to);
    return {
      month,
      posted: n(c, K.posted),
      fulfilled: n(c, K.fulfilled),
      fulfilmentRate: fulfilmentRate(c),
      checkins: n(c, K.checkins),
      recordedMinutes: n(c, K.recordedMinutes),
    };
  });
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round(((s[m - 1] + s[m]) / 2) * 10_000) / 10_000;
}

/** A child lags when its rate is below the children's median by more than this (percentage points). */
export const LAG_MARGIN = 0.05;

/**
 * The children laggards first (lowest fulfilment rate; those with nothing owed last), each marked
 * `lagging` when below the children's median by more than LAG_MARGIN.
 */
export function rankChildren<T extends { fulfilmentRate: number | null; name: string }>(
  children: readonly T[],
): { children: (T & { lagging: boolean })[]; childMedianRate: number | null } {
  const childMedianRate = median(children.flatMap((c) => (c.fulfilmentRate === null ? [] : [c.fulfilmentRate])));
  const sorted = [...children].sort((a, b) => {
    if (a.fulfilmentRate === null || b.fulfilmentRate === null) {
      return (a.fulfilmentRate === null ? 1 : 0) - (b.fulfilmentRate === null ? 1 : 0) || a.name.localeCompare(b.name);
    }
    return a.fulfilmentRate - b.fulfilmentRate || a.name.localeCompare(b.name);
  });
  return {
    childMedianRate,
    children: sorted.map((c) => ({
      ...c,
      lagging: c.fulfilmentRate !== null && childMedianRate !== null && c.fulfilmentRate < childMedianRate - LAG_MARGIN,
    })),
  };
}

/** The levels figures are kept at: an order or check-in at a point counts for its station and above. */
export const FIGURE_LEVELS: readonly Level[] = ['center', 'institute', 'station'];
