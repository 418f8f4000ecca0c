/**
 * The period of an export as typings/stats.ts states it: Beijing calendar days `YYYY-MM-DD`, both ends
 * included, by default 1 January of this year → today. Pure: `now` is passed in.
 */
import { SHANGHAI_OFFSET_MS, shanghaiDay } from '../../../../typings/time';
import { maskPhone as maskDigits } from '../../../../typings/format';

export interface DayRange {
  from: string;
  to: string;
  /** The instant `from` starts in Beijing. */
  start: Date;
  /** The instant the day after `to` starts in Beijing (exclusive end). */
  end: Date;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && Number(m[1]) >= 2000;
}

const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);

/** The period of a request, or why it is not one (in Chinese, for the caller). */
export function periodOf(req: { from?: string; to?: string }, now: Date): DayRange | { refusal: string } {
  const today = shanghaiDay(now);
  const from = req.from ?? `${today.slice(0, 4)}-01-01`;
  const to = req.to ?? today;
  if (!isDay(from) || !isDay(to)) return { refusal: '日期不对，请按“2026-01-31”的格式填写。' };
  if (from > to) return { refusal: '开始日期不能晚于结束日期。' };
  return { from, to, start: dayStart(from), end: new Date(dayStart(to).getTime() + DAY_MS) };
}

/** A phone number with its middle hidden (13800000001 → 138****0001), blank when there is none. */
export function maskPhone(phone: string | null | undefined): string {
  return maskDigits(phone?.replace(/\D/g, '')) ?? '';
}
