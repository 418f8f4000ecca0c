/**
 * Roll-ups of closed months: for each node and month no longer changing in the ordinary course, the
 * month's totals and the year's up to it, kept once (computed on first need, or by the timer as a month
 * closes) so that a league table or the big screen reads two documents a node instead of every month's
 * shards, the overview one a month instead of four, and only the open months live. Each month's is
 * computed from the month before's, so after the first a month costs one month's read.
 *
 * When is a month over? Nearly every counter is raised as its change happens, on the day it happens.
 * Some land in a month already past: the timer counts check-ins into their own day a few minutes late
 * (`figurePendingCheckins`, 400 a run every 5 minutes), closes an activity (held, on the day it ended)
 * after its end plus the 30 minutes' grace, and a check-out records its hours on the activity's start
 * day. Those are routine and bounded: under LATE_AFTER_MS past the month's end. Others are not bounded:
 * honour hours dated in the past, a correction (dated as the record it corrects), hours given back by a
 * reopened order (dated as the fulfilment), a far check-in confirmed days later, a timer catching up
 * after an outage. So a closed month is not assumed never to change: a raise into a month ended more
 * than LATE_AFTER_MS ago also raises its node's epoch (in the same transaction), and a roll-up is used
 * only while the epoch it was computed at (with the generation a rebuild sets) is still current.
 *
 * A reader treats a month as closed from CLOSED_AFTER_MS after its end. A raise that did not count as
 * late began before LATE_AFTER_MS past the end and commits within a function's time (60 s), long
 * before any reader treats the month as closed: it is in every roll-up of that month. A late raise
 * changes the epoch, so a roll-up computed before it (tagged with the old epoch) is never used again.
 * The epoch is read before the months are, so a roll-up tagged with an epoch holds every raise before it.
 * Pure: no SDK, no I/O, no clock.
 */
import { add, type Delta } from './figures';

const HOUR_MS = 3_600_000;
const BEIJING_MS = 8 * HOUR_MS;

/** A raise into a month ended at least this long ago is late: it raises its node's epoch. */
export const LATE_AFTER_MS = HOUR_MS;

/** A reader treats a month as closed (its roll-up kept) from this long after its end. */
export const CLOSED_AFTER_MS = 2 * HOUR_MS;

/** The instant a Beijing month (`YYYY-MM`) ends: midnight in Beijing starting the next month. */
export function monthEndMs(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y, m, 1) - BEIJING_MS;
}

/** Whether a raise into the month at this time is late (must raise its node's epoch). */
export const isLate = (month: string, nowMs: number): boolean => monthEndMs(month) + LATE_AFTER_MS <= nowMs;

/** Whether a reader at this time may keep the month's roll-up. */
export const isClosed = (month: string, nowMs: number): boolean => monthEndMs(month) + CLOSED_AFTER_MS <= nowMs;

/** The months of a period (in order) split into the closed ones (a run at the start) and the open rest. */
export function splitClosed(months: readonly string[], nowMs: number): { closed: string[]; open: string[] } {
  const closed = months.filter((m) => isClosed(m, nowMs));
  return { closed, open: months.filter((m) => !isClosed(m, nowMs)) };
}

/** The month before (`2026-01` → `2025-12`). */
export function prevMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export const isJanuary = (month: string) => month.endsWith('-01');

/** A run of months (in order) cut at each new year: each year's first and last month of the run. */
export function segmentsOf(months: readonly string[]): { first: string; last: string }[] {
  const out: { first: string; last: string }[] = [];
  for (const m of months) {
    const seg = out[out.length - 1];
    if (seg && seg.last.slice(0, 4) === m.slice(0, 4)) seg.last = m;
    else out.push({ first: m, last: m });
  }
  return out;
}

/**
 * The months whose year-to-date a run of months is summed from: each year's last month of the run, and
 * the month before its first unless that is January (the year-to-date before a January is nothing).
 */
export function ytdMonthsOf(months: readonly string[]): string[] {
  return segmentsOf(months).flatMap(({ first, last }) => (isJanuary(first) ? [last] : [prevMonth(first), last]));
}

/** A node's totals over a run of months from its year-to-dates: per year, the last's less the one before the first. */
export function totalOverRun(months: readonly string[], ytd: (month: string) => Delta): Delta {
  const out: Delta = {};
  for (const { first, last } of segmentsOf(months)) {
    add(out, ytd(last));
    if (!isJanuary(first)) add(out, ytd(prevMonth(first)), -1);
  }
  for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
  return out;
}

/**
 * Each month's roll-up from the one before: `base` the year-to-date up to the month before `months[0]`
 * (nothing when it is January), `totalsOf(m)` a month's totals; the months in order, all of one year.
 */
export function chainOf(
  base: Delta,
  months: readonly string[],
  totalsOf: (month: string) => Delta,
): { month: string; totals: Delta; ytd: Delta }[] {
  let ytd = { ...base };
  return months.map((month) => {
    const totals = totalsOf(month);
    ytd = add({ ...ytd }, totals);
    return { month, totals, ytd };
  });
}

/** What a roll-up is valid for: the generation (set by a rebuild) and the node's epoch (raised by late raises). */
export const tagOf = (generation: string, epoch: number): string => `${generation}.${epoch}`;

/** A roll-up's id: one per node, month and tag, so two readers computing it insert the same document. */
export const rollupId = (orgId: string, month: string, tag: string): string => `${orgId}:${month}@${tag}`;

/** The id of a node's epoch document, and of the generation's, in the roll-ups' collection. */
export const epochId = (orgId: string): string => `epoch:${orgId}`;
export const GENERATION_ID = 'generation';

/**
 * A kept roll-up of a closed month: a node's totals for the month (every shard summed, the days left
 * out) and for its year up to and including it, valid while `tag` is current. A month's is computed
 * from the month before's (`ytd` plus the month's totals), so once a month is kept the next costs one
 * month's read; a run of months within a year is the difference of two year-to-dates.
 */
export interface RollupDoc {
  _id: string;
  kind: 'rollup';
  orgId: string;
  /** The node and its parent, as on a figure document: a node's and its children's are one query. */
  nodes: string[];
  month: string;
  tag: string;
  totals: Delta;
  ytd: Delta;
  /** When it was computed (for a reader of the collection; nothing depends on it). */
  at: Date;
}

/** A node's epoch: how many late raises its closed months have had. */
export interface EpochDoc {
  _id: string;
  kind: 'epoch';
  orgId: string;
  nodes: string[];
  n: number;
}

/** The generation: a new value each rebuild, which makes every roll-up before it stale. */
export interface GenerationDoc {
  _id: typeof GENERATION_ID;
  kind: 'generation';
  value: string;
}
