/**
 * Times and distances as a villager reads them (typings/format.ts, used by the pages through
 * miniprogram/utils/format.ts): Beijing time whatever the machine's time zone, the year only when it is
 * not this one, and distances in 米 and 公里 — 就在附近 when it is closer than a phone can tell.
 */
import { distanceFrom, formatDistance, formatTime } from '../../typings/format';
import { shanghaiDay } from '../../typings/time';

test('times are shown in Beijing time, with the year only when it is not this year', () => {
  const now = new Date('2026-11-29T04:00:00Z');
  // 16:30 UTC on 1 January is 00:30 on 2 January in Beijing.
  expect(formatTime('2026-01-01T16:30:00Z', now)).toBe('1月2日 00:30');
  expect(formatTime('2025-12-31T16:05:00Z', now)).toBe('1月1日 00:05');
  expect(formatTime('2025-12-31T15:59:00Z', now)).toBe('2025年12月31日 23:59');
  expect(formatTime(null, now)).toBe('');
  expect(formatTime('not a time', now)).toBe('');
});

test('the Beijing day turns at 16:00 UTC', () => {
  expect(shanghaiDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
  expect(shanghaiDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
});

test('distances read in 米 under a kilometre, in 公里 with one decimal under ten, whole beyond', () => {
  expect(formatDistance(349.6)).toBe('350米');
  expect(formatDistance(999.4)).toBe('999米');
  expect(formatDistance(999.6)).toBe('1公里');
  expect(formatDistance(1000)).toBe('1公里');
  expect(formatDistance(1234)).toBe('1.2公里');
  expect(formatDistance(9960)).toBe('10公里');
  expect(formatDistance(23456)).toBe('23公里');
});

test('closer than 50 m is 就在附近, never 0米', () => {
  expect(formatDistance(0)).toBe('就在附近');
  expect(formatDistance(49.9)).toBe('就在附近');
  expect(formatDistance(50)).toBe('50米');
  expect(distanceFrom('离您', 12)).toBe('就在附近');
  expect(distanceFrom('离您', 350)).toBe('离您350米');
});

test('no distance (unknown, negative, not a number) shows nothing', () => {
  for (const m of [null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    expect(formatDistance(m)).toBe('');
    expect(distanceFrom('距您', m)).toBe('');
  }
});
