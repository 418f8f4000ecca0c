/**
 * 大屏: the county's public figures on a 1920×1080 wall, read from the bigscreen function's HTTP path
 * every `refresh` seconds. Query: `?refresh=30` (seconds), `?api=<url>` (default: `window.BIGSCREEN_API`
 * from config.js, else `api` beside the page, as the local cloud serves it). Read-only, no login.
 */
import type { PublicFigures } from '../typings/stats';
import { BANDS, NO_RATE, clockText, countText, project, rateText, shortName, trendPaths } from './view';

declare global {
  interface Window {
    BIGSCREEN_API?: string;
  }
}

const params = new URLSearchParams(location.search);
const REFRESH_S = Math.max(1, Number(params.get('refresh')) || 30);
const API = params.get('api') || window.BIGSCREEN_API || 'api';

const $ = (id: string) => document.getElementById(id) as HTMLElement;
const SVG = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function setText(id: string, text: string): void {
  const node = $(id);
  if (node && node.textContent !== text) node.textContent = text;
}

function drawFigures(f: PublicFigures): void {
  setText('county', `${shortName(f.county)}新时代文明实践`);
  setText('year-posted', countText(f.year.posted));
  setText('year-fulfilled', countText(f.year.fulfilled));
  setText('year-rate', rateText(f.year.fulfilmentRate));
  setText('year-activities', countText(f.year.activities));
  setText('year-checkins', countText(f.year.checkins));
  setText('year-hours', countText(f.year.recordedHours));
  setText('year-points', countText(f.year.pointsIssued));
  setText('year-volunteers', countText(f.year.volunteers));
  setText('today-posted', countText(f.today.posted));
  setText('today-fulfilled', countText(f.today.fulfilled));
  setText('today-checkins', countText(f.today.checkins));
  setText('updated', `数据更新于 ${clockText(f.updatedAt)}`);
}

function drawMap(f: PublicFigures): void {
  const svg = $('map') as unknown as SVGSVGElement;
  const box = svg.viewBox.baseVal;
  svg.replaceChildren();
  for (const d of project(f.stations, box.width, box.height)) {
    const dot = el('circle', { cx: d.x, cy: d.y, r: 9, fill: d.color, 'data-id': d.id, class: 'dot' });
    dot.appendChild(el('title', {}, `${d.name} 实现率 ${d.rate}`));
    svg.appendChild(dot);
  }
  const legend = $('map-legend');
  legend.replaceChildren(
    ...[...BANDS, NO_RATE].map((b) => {
      const item = document.createElement('span');
      item.className = 'legend-item';
      item.innerHTML = `<i style="background:${b.color}"></i>${b.label}`;
      return item;
    }),
  );
  setText('map-count', `${f.stations.length}个实践站`);
}

function drawTrend(f: PublicFigures): void {
  const svg = $('trend') as unknown as SVGSVGElement;
  const w = 520;
  const h = 250;
  const t = trendPaths(f.trend, w, h);
  svg.replaceChildren();
  const g = el('g', { transform: 'translate(60,20)' });
  for (const v of [0, t.max / 2, t.max]) {
    const y = h - (v / t.max) * h;
    g.appendChild(el('line', { x1: 0, x2: w, y1: y, y2: y, class: 'grid' }));
    g.appendChild(el('text', { x: -10, y: y + 7, class: 'axis', 'text-anchor': 'end' }, String(v)));
  }
  t.labels.forEach((l) =>
    g.appendChild(el('text', { x: l.x, y: h + 34, class: 'axis', 'text-anchor': 'middle' }, l.text)),
  );
  g.appendChild(el('path', { d: t.posted, class: 'line line-posted' }));
  g.appendChild(el('path', { d: t.fulfilled, class: 'line line-fulfilled' }));
  svg.appendChild(g);
}

function drawCategories(f: PublicFigures): void {
  const list = $('categories');
  const rows = [...f.byCategory].sort((a, b) => b.posted - a.posted).slice(0, 10);
  const max = Math.max(1, ...rows.map((r) => r.posted));
  list.replaceChildren(
    ...rows.map((r) => {
      const row = document.createElement('div');
      row.className = 'cat';
      row.innerHTML =
        `<span class="cat-name"></span><span class="cat-bar"><i style="width:${((r.posted / max) * 100).toFixed(1)}%"></i></span>` +
        `<span class="cat-value">${countText(r.posted)}</span>`;
      (row.querySelector('.cat-name') as HTMLElement).textContent = r.label;
      return row;
    }),
  );
}

let failures = 0;

async function refresh(): Promise<void> {
  try {
    const res = await fetch(API, { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const f = (await res.json()) as PublicFigures;
    drawFigures(f);
    drawMap(f);
    drawTrend(f);
    drawCategories(f);
    failures = 0;
    document.body.dataset.updatedAt = f.updatedAt;
    document.body.classList.remove('stale');
  } catch (e) {
    failures += 1;
    // Keep the last figures on the wall; say that they are old after a few misses.
    if (failures >= 3) document.body.classList.add('stale');
    console.warn('bigscreen: refresh failed', e);
  } finally {
    setTimeout(() => void refresh(), REFRESH_S * 1000);
  }
}

function tick(): void {
  setText('clock', clockText(new Date().toISOString()));
}

tick();
setInterval(tick, 1000);
void refresh();
