/**
 * The period a stats request asks for — the overview, the assessment and the export alike, so each
 * refuses the same things in the same words: Beijing calendar days `YYYY-MM-DD`, both ends included, by
 * default 1 January of the year `to` falls in → today (Beijing). Pure: `now` is passed in.
 *
 * Refused: a value that is not a string; a string that is not a real calendar day from 2000 on; a day
 * after today; `from` after `to`; more than PERIOD_MAX_MONTHS calendar months. A day after today is
 * refused for every action: figures and records only exist up to today, the pages' date pickers end at
 * today, and a period named for days still to come (an export's file is named for its period) would
 * claim to cover what it cannot — such a date is a slip (2062 for 2026), and saying so helps.
 */
import { SHANGHAI_OFFSET_MS, shanghaiDay } from '../../../../typings/time';

/** The longest period, in calendar months touched: two years of month documents read at once. */
export const PERIOD_MAX_MONTHS = 24;

export interface DayRange {
  from: string;
  to: string;
  /** The instant `from` starts in Beijing. */
  start: Date;
  /** The instant the day after `to` starts in Beijing (exclusive end). */
  end: Date;
}

/** Why a period is refused: which field, what is wrong with it, and the plain Chinese message. */
export interface PeriodRefusal {
  field: 'from' | 'to';
  reason: 'type' | 'format' | 'future' | 'order' | 'length';
  message: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar day from the year 2000 on, written `YYYY-MM-DD`. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && Number(m[1]) >= 2000;
}

const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;

/** The period of a request, or why it is not one. */
export function parsePeriod(req: { from?: unknown; to?: unknown }, now: Date): DayRange | { refusal: PeriodRefusal } {
  const refuse = (field: PeriodRefusal['field'], reason: PeriodRefusal['reason'], message: string) => ({
    refusal: { field, reason, message },
  });
  for (const field of ['from', 'to'] as const) {
    const v = req[field];
    if (v !== undefined && typeof v !== 'string') return refuse(field, 'type', '日期要按“2026-01-31”的格式填写。');
    if (typeof v === 'string' && !isDay(v))
      return refuse(field, 'format', '日期不对，请按“2026-01-31”的格式填写一个真实的日子。');
  }
  const today = shanghaiDay(now);
  for (const field of ['from', 'to'] as const) {
    const v = req[field] as string | undefined;
    if (v !== undefined && v > today) return refuse(field, 'future', `日期不能晚于今天（${today}）。`);
  }
  const to = (req.to as string | undefined) ?? today;
  const from = (req.from as string | undefined) ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) return refuse('from', 'order', '开始日期不能晚于结束日期。');
  if (monthIndex(to) - monthIndex(from) + 1 > PERIOD_MAX_MONTHS)
    return refuse('from', 'length', `一次最多查看${PERIOD_MAX_MONTHS}个月，请把日期范围改小一些。`);
  return { from, to, start: dayStart(from), end: new Date(dayStart(to).getTime() + DAY_MS) };
}
