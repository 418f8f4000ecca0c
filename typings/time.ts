/**
 * The two small facts both sides kept copying: what an id looks like, and that the county lives on
 * Beijing time (China has one time zone and no summer time, so UTC+8 all year, no time-zone library).
 */

/** Openids, order ids, household numbers, seeded codes: letters, digits, `_` and `-`, at most 64. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Asia/Shanghai is UTC+8 all year. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The moment shifted to Beijing time: read it with the getUTC… methods. */
export function shanghaiClock(at: Date | number): Date {
  return new Date((typeof at === 'number' ? at : at.getTime()) + SHANGHAI_OFFSET_MS);
}

/** The Asia/Shanghai calendar day of a moment, e.g. 2026-11-29. */
export function shanghaiDay(at: Date | number): string {
  return shanghaiClock(at).toISOString().slice(0, 10);
}
