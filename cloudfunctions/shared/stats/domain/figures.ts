/**
 * Figures kept as the work happens: what each event adds to the counters of the day and month it
 * happened in, for the node it happened at and every node above it; how the kept counters of a period
 * sum into the Figures of typings/stats.ts (summing.ts). The live writes (order, activity, user and integral
 * stores) and the recompute check (scripts/stats-check.ts) both take their deltas from here, so the
 * two can only agree. Pure: no SDK, no I/O, no clock.
 */
import { CATEGORIES, type Category } from '../../../../typings/domain';
import { ORDER_KINDS, type OrderKind } from '../../../../typings/order';

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
export const DAY_KEY = /^d(\d\d)_(.+)$/;

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

export const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
export const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonth(m)) out.push(m);
  return out;
}
