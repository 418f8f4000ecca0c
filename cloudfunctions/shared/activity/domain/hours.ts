/**
 * Service hours as the county counts them: minutes between check-in and check-out clipped to the
 * activity's own time, totals kept in minutes and shown in the county's unit (half hours by default),
 * star levels by total hours. Pure.
 */
import { STAR_LEVELS, type HoursTotals, type Stars } from '../../../../typings/activity';
import type { Category } from '../../../../typings/domain';
import { SHANGHAI_OFFSET_MS, shanghaiClock } from '../../../../typings/time';

const MINUTE = 60_000;

/** Minutes served within the activity's time, to the nearest minute; never negative. */
export function minutesServed(inAt: Date, outAt: Date, startAt: Date, endAt: Date): number {
  const from = Math.max(new Date(inAt).getTime(), new Date(startAt).getTime());
  const to = Math.min(new Date(outAt).getTime(), new Date(endAt).getTime());
  return Math.max(0, Math.round((to - from) / MINUTE));
}

/** Minutes shown as hours in the county's unit, to the nearest unit (e.g. 100 min → 1.5 h). */
export function unitHours(minutes: number, unitMin: number): number {
  const unit = unitMin > 0 ? unitMin : 30;
  return (Math.round(minutes / unit) * unit) / 60;
}

/** The star level of a total, with what is left to the next one. */
export function starsOf(totalMinutes: number): Stars {
  const hours = totalMinutes / 60;
  let reached: (typeof STAR_LEVELS)[number] | undefined;
  for (const level of STAR_LEVELS) if (hours >= level.hours) reached = level;
  const next = STAR_LEVELS.find((l) => hours < l.hours);
  return {
    stars: reached?.stars ?? 0,
    label: reached?.label ?? null,
    toNext: next ? Math.ceil(next.hours - hours) : null,
  };
}

/** The month (YYYY-MM) of a time in Beijing. */
export function beijingMonth(at: Date): string {
  return shanghaiClock(new Date(at)).toISOString().slice(0, 7);
}

/** A Beijing calendar day (YYYY-MM-DD) as the instant it starts. */
export function beijingDayStart(day: string): Date {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() - SHANGHAI_OFFSET_MS);
}

export interface CountedRecord {
  kind: 'recorded' | 'honour';
  minutes: number;
  category: Category | null;
  at: Date;
}

/** Totals of records: recorded and honour apart, by month and by category. */
export function totalsOf(records: readonly CountedRecord[], unitMin: number): HoursTotals {
  let recorded = 0;
  let honour = 0;
  const months = new Map<string, number>();
  const categories = new Map<Category, number>();
  for (const r of records) {
    if (r.kind === 'honour') honour += r.minutes;
    else recorded += r.minutes;
    const m = beijingMonth(r.at);
    months.set(m, (months.get(m) ?? 0) + r.minutes);
    if (r.category) categories.set(r.category, (categories.get(r.category) ?? 0) + r.minutes);
  }
  return {
    recordedMinutes: recorded,
    honourMinutes: honour,
    recordedHours: unitHours(recorded, unitMin),
    honourHours: unitHours(honour, unitMin),
    byMonth: [...months].sort((a, b) => b[0].localeCompare(a[0])).map(([month, minutes]) => ({ month, minutes })),
    byCategory: [...categories].map(([category, minutes]) => ({ category, minutes })),
  };
}
