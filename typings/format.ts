/**
 * How times and distances read to a villager, the same wherever they are shown: in the mini-program's
 * pages (through miniprogram/utils/format.ts) and in what a function writes for a page to show. Pure,
 * and in Beijing time whatever the phone's or the server's time zone.
 */

import { shanghaiClock } from './time';

/** Under this, a distance reads 就在附近: a phone's location is not sharper than that. */
export const NEARBY_METERS = 50;

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `5月3日 14:05` (with the year when it is not this year), in Beijing time; '' for no time. */
export function formatTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = shanghaiClock(t);
  const thisYear = shanghaiClock(now).getUTCFullYear();
  const day = `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
  const year = d.getUTCFullYear() === thisYear ? '' : `${d.getUTCFullYear()}年`;
  return `${year}${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 就在附近 under 50 m, then `350米`, `1.2公里`, `3公里`, `23公里`; '' for no distance. */
export function formatDistance(meters: number | null | undefined): string {
  if (meters === null || meters === undefined || !Number.isFinite(meters) || meters < 0) return '';
  if (meters < NEARBY_METERS) return '就在附近';
  if (Math.round(meters) < 1000) return `${Math.round(meters)}米`;
  const km = meters / 1000;
  return `${km < 10 ? Number(km.toFixed(1)) : Math.round(km)}公里`;
}

/** `离您350米` (with the words given), or just 就在附近 when it is that close; '' for no distance. */
export function distanceFrom(words: string, meters: number | null | undefined): string {
  const d = formatDistance(meters);
  return d === '' || d === '就在附近' ? d : `${words}${d}`;
}

/** 13812341234 → 138****1234: how a phone shows to anyone without the right to it (every screen and export). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
