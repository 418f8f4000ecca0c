/**
 * How the kept counters of a period sum into the Figures of typings/stats.ts: totals, the fulfilment
 * rate, medians from the duration buckets, the trend by month, and the children ranked with the
 * laggards marked. Pure: no SDK, no I/O, no clock.
 */
import { CATEGORIES, type Level } from '../../../../typings/domain';
import { ORDER_KINDS } from '../../../../typings/order';
import type { Figures, TrendPoint } from '../../../../typings/stats';
import { add, DAY_KEY, DURATION_EDGES, K, lastDayOf, monthsBetween, type Delta, type FigureDoc } from './figures';
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
