/**
 * What the big screen draws, computed from PublicFigures: plain numbers in Chinese units, the stations
 * projected onto the map's box, each coloured by its fulfilment rate, and the trend as SVG paths. Pure
 * (no DOM), so the Node tests can check it directly.
 */
import type { PublicFigures, TrendPoint } from '../typings/stats';

/** 96.3% (one decimal), or — when nothing was owed. */
export function rateText(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** 12,345 below a hundred thousand; 12.3万 above. */
export function countText(n: number): string {
  if (Math.abs(n) >= 100000) return `${(Math.round(n / 1000) / 10).toFixed(1)}万`;
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 海安市新时代文明实践中心 → 海安市 (the title adds 新时代文明实践云 itself). */
export function shortName(name: string): string {
  return name.replace(/新时代文明实践(中心|所|站|点)$/, '') || name;
}

/** The colour bands of the map and their legend. */
export const BANDS: { min: number; color: string; label: string }[] = [
  { min: 0.95, color: '#3ecf6e', label: '95%以上' },
  { min: 0.85, color: '#f2c12e', label: '85%–95%' },
  { min: 0, color: '#f25c3b', label: '85%以下' },
];
export const NO_RATE = { color: '#7d8aa3', label: '暂无点单' };

export function rateColor(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return NO_RATE.color;
  return (BANDS.find((b) => rate >= b.min) ?? BANDS[BANDS.length - 1]).color;
}

export interface Dot {
  id: string;
  name: string;
  x: number;
  y: number;
  color: string;
  rate: string;
}

/**
 * Stations onto a `width`×`height` box: an equirectangular projection (longitude shrunk by the cosine
 * of the middle latitude, so a county keeps its shape), scaled to fit with `pad` around, north up.
 */
export function project(stations: PublicFigures['stations'], width: number, height: number, pad = 24): Dot[] {
  const placed = stations.filter((s) => Number.isFinite(s.lat) && Number.isFinite(s.lng));
  if (placed.length === 0) return [];
  const lats = placed.map((s) => s.lat);
  const lngs = placed.map((s) => s.lng);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLng - minLng) * k, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  // Centred on the stations' real spans (a single station, or a row of them, sits in the middle).
  const offX = (width - (maxLng - minLng) * k * scale) / 2;
  const offY = (height - (maxLat - minLat) * scale) / 2;
  return placed.map((s) => ({
    id: s.id,
    name: s.name,
    x: Math.round((offX + (s.lng - minLng) * k * scale) * 10) / 10,
    y: Math.round((offY + (maxLat - s.lat) * scale) * 10) / 10,
    color: rateColor(s.fulfilmentRate),
    rate: rateText(s.fulfilmentRate),
  }));
}

/** The trend's two lines as SVG path data in a `width`×`height` box, with the y axis' top. */
export function trendPaths(
  trend: TrendPoint[],
  width: number,
  height: number,
): { posted: string; fulfilled: string; max: number; labels: { x: number; text: string }[] } {
  const max = niceMax(Math.max(0, ...trend.map((t) => Math.max(t.posted, t.fulfilled))));
  const n = trend.length;
  const x = (i: number) => (n <= 1 ? width / 2 : (i * width) / (n - 1));
  const y = (v: number) => height - (v / max) * height;
  const path = (pick: (t: TrendPoint) => number) =>
    trend.map((t, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(pick(t)).toFixed(1)}`).join(' ');
  return {
    posted: path((t) => t.posted),
    fulfilled: path((t) => t.fulfilled),
    max,
    labels: trend.map((t, i) => ({ x: x(i), text: `${Number(t.month.slice(5, 7))}月` })),
  };
}

export function niceMax(n: number): number {
  if (n <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** 2026-11-30T05:40:12.000Z → 13:40:12 (Beijing time). */
export function clockText(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  return new Date(t.getTime() + 8 * 3600 * 1000).toISOString().slice(11, 19);
}
