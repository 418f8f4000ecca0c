/**
 * Draws the command center's two charts on a canvas 2D context: a line a series (the trend by month)
 * and a ring (the categories). Plain canvas 2D rather than a chart library: two chart kinds in ~150
 * lines, nothing to pack into miniprogram_npm, a few KB in the admin subpackage (uCharts is ~150 KB,
 * echarts-for-weixin ~1 MB). Only the 2D context's standard calls are used, so a browser draws the
 * same (the big screen shares nothing with it, but could).
 */
import type { LineSeries, RingSeries } from '../../stats-view';

/** The part of CanvasRenderingContext2D these charts use. */
export interface Ctx2D {
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number, ccw?: boolean): void;
  stroke(): void;
  fill(): void;
  fillText(text: string, x: number, y: number): void;
  strokeStyle: unknown;
  fillStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
}

const AXIS = '#8c857b';
const TEXT = '#4d4d4d';

/**
 * A round top for the y axis, close above the largest count and even, so the middle line is a whole
 * count too: 2, 4, 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 200, 300 … (1, 2, 5 steps left a count of
 * 290 under a top of 500, and a station's handful under 5 with a middle line of 2.5).
 */
export function niceMax(n: number): number {
  if (n <= 2) return 2;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 3, 4, 5, 6, 8, 10]) {
    const top = m * p;
    if (top >= n && top % 2 === 0) return top;
  }
  return 10 * p;
}

export function drawLine(ctx: Ctx2D, w: number, h: number, chart: LineSeries, font: number): void {
  ctx.clearRect(0, 0, w, h);
  const n = chart.categories.length;
  if (n === 0) return;
  const left = font * 3;
  const right = font;
  const top = font;
  const bottom = font * 2;
  const max = niceMax(Math.max(0, ...chart.series.flatMap((s) => s.data)));
  const x = (i: number) => left + (n === 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (n - 1));
  const y = (v: number) => top + (1 - v / max) * (h - top - bottom);
  ctx.font = `${font}px sans-serif`;
  ctx.lineWidth = 1;
  ctx.strokeStyle = AXIS;
  ctx.fillStyle = TEXT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of [0, max / 2, max]) {
    ctx.beginPath();
    ctx.moveTo(left, y(v));
    ctx.lineTo(w - right, y(v));
    ctx.stroke();
    ctx.fillText(String(v), left - font / 3, y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const every = Math.ceil(n / 6);
  chart.categories.forEach((c, i) => {
    if (i % every === 0 || i === n - 1) ctx.fillText(c, x(i), h - bottom + font / 2);
  });
  for (const s of chart.series) {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = font / 6;
    ctx.beginPath();
    s.data.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
    ctx.stroke();
    s.data.forEach((v, i) => {
      ctx.beginPath();
      ctx.arc(x(i), y(v), font / 4, 0, Math.PI * 2);
      ctx.fill();
    });
  }
}

export function drawRing(ctx: Ctx2D, w: number, h: number, chart: RingSeries, font: number): void {
  ctx.clearRect(0, 0, w, h);
  const total = chart.series.reduce((a, s) => a + s.value, 0);
  const r = Math.min(w, h) / 2 - font / 2;
  const cx = w / 2;
  const cy = h / 2;
  if (total <= 0) return;
  let start = -Math.PI / 2;
  ctx.lineWidth = r * 0.38;
  for (const s of chart.series) {
    const end = start + (s.value / total) * Math.PI * 2;
    ctx.strokeStyle = s.color;
    ctx.beginPath();
    ctx.arc(cx, cy, r - ctx.lineWidth / 2, start, end);
    ctx.stroke();
    start = end;
  }
  ctx.fillStyle = TEXT;
  ctx.font = `bold ${font * 1.4}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(total), cx, cy - font * 0.5);
  ctx.font = `${font}px sans-serif`;
  ctx.fillText('件', cx, cy + font * 0.9);
}
