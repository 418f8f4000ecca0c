/**
 * What the command center's pages show, computed from the contract's figures: plain Chinese a villager
 * reads at a glance (实现率 96.3%, 1.2万), the period a switch stands for, and the series handed to
 * the charts. Pure: no wx, no I/O.
 */
import type { AssessmentRow, Figures, IndicatorKey, NodeFigures, Overview, TrendPoint } from '../../contract/stats';
import { INDICATOR_LABELS } from '../../contract/stats';
import { CATEGORIES, CATEGORY_LABELS, LEVEL_LABELS, type Level } from '../../contract/domain';

export type PeriodKey = 'month' | 'year' | 'custom';

export const PERIODS: { key: PeriodKey; label: string }[] = [
  { key: 'month', label: '本月' },
  { key: 'year', label: '今年' },
  { key: 'custom', label: '自定义' },
];

/** The days a period switch stands for, `today` being the Beijing day `YYYY-MM-DD`. */
export function periodRange(key: Exclude<PeriodKey, 'custom'>, today: string): { from: string; to: string } {
  return key === 'month'
    ? { from: `${today.slice(0, 7)}-01`, to: today }
    : { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/** 96.3% (one decimal), or 暂无 when nothing was owed. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '暂无';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** 1,234 below ten thousand; 1.2万 above. */
export function formatCount(n: number): string {
  if (Math.abs(n) >= 10000) return `${(Math.round(n / 1000) / 10).toFixed(1)}万`;
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Minutes as whole hours (时长 reads in hours). */
export function hoursOf(minutes: number): number {
  return Math.round(minutes / 60);
}

/** Where a tap on a figure leads: the orders behind it (`records`), or nothing. */
export type FigureLink = 'posted' | 'fulfilled' | '';

export interface FigureView {
  key: string;
  label: string;
  value: string;
  unit: string;
  link: FigureLink;
}

/** The headline figures, in the order the county's annual report names them. */
export function headline(f: Figures): FigureView[] {
  return [
    { key: 'posted', label: '群众点单', value: formatCount(f.orders.posted), unit: '件', link: 'posted' },
    { key: 'fulfilled', label: '已经办好', value: formatCount(f.orders.fulfilled), unit: '件', link: 'fulfilled' },
    { key: 'rate', label: '实现率', value: formatRate(f.fulfilmentRate), unit: '', link: 'fulfilled' },
    {
      key: 'hours',
      label: '服务时长',
      value: formatCount(hoursOf(f.hours.recordedMinutes + f.hours.honourMinutes)),
      unit: '小时',
      link: '',
    },
    { key: 'checkins', label: '活动签到', value: formatCount(f.activities.checkins), unit: '人次', link: '' },
    { key: 'points', label: '发放积分', value: formatCount(f.points.issued), unit: '分', link: '' },
  ];
}

/** The smaller figures under the headline, as label and text. */
export function details(f: Figures): { key: string; label: string; value: string }[] {
  const minutes = (m: number | null) => (m === null ? '暂无' : m >= 60 ? `${(m / 60).toFixed(1)}小时` : `${m}分钟`);
  return [
    { key: 'activities', label: '举办活动', value: `${formatCount(f.activities.held)}场` },
    { key: 'volunteers', label: '活跃志愿者', value: `${formatCount(f.volunteers.active)}人` },
    { key: 'registered', label: '新注册志愿者', value: `${formatCount(f.volunteers.registered)}人` },
    { key: 'accept', label: '接单用时（中位数）', value: minutes(f.medianAcceptMin) },
    { key: 'fulfil', label: '办好用时（中位数）', value: minutes(f.medianFulfilMin) },
    {
      key: 'rating',
      label: '群众满意度',
      value: f.ratingAverage === null ? '暂无' : `${f.ratingAverage.toFixed(1)}星（${f.ratings}人评）`,
    },
    { key: 'escalated', label: '超时上报', value: `${formatCount(f.orders.escalated)}件` },
    { key: 'red', label: '红色督办', value: `${formatCount(f.orders.red)}件` },
    { key: 'redeemed', label: '积分兑换', value: `${formatCount(f.points.redeemed)}分` },
  ];
}

export interface ChildView {
  orgId: string;
  name: string;
  level: string;
  rate: string;
  /** Bar length, 0–100 (% of the widest: a rate of 100%). */
  bar: number;
  figures: string;
  lagging: boolean;
  /** Whether a tap goes a level down (points have no children). */
  drill: boolean;
}

/** 凤山村新时代文明实践站 → 凤山村. */
export function shortName(name: string): string {
  return name.replace(/新时代文明实践(中心|所|站|点)$/, '') || name;
}

/** A child with something to show as a bar: wishes posted in the period, or marked lagging. */
export function hasFigures(c: NodeFigures & { lagging: boolean }): boolean {
  return c.orders.posted > 0 || c.lagging;
}

/** The names of the children with nothing posted in the period, in one line under the bars. */
export function idleNames(children: (NodeFigures & { lagging: boolean })[]): string {
  return children
    .filter((c) => !hasFigures(c))
    .map((c) => shortName(c.name))
    .join('、');
}

/** The children with figures as bars, in the order the function gave them (laggards first). */
export function childViews(children: (NodeFigures & { lagging: boolean })[]): ChildView[] {
  return children.filter(hasFigures).map((c) => ({
    orgId: c.orgId,
    name: shortName(c.name),
    level: LEVEL_LABELS[c.level as Level] ?? '',
    rate: formatRate(c.fulfilmentRate),
    bar: c.fulfilmentRate === null ? 0 : Math.max(0, Math.min(100, Math.round(c.fulfilmentRate * 1000) / 10)),
    figures: `点单${formatCount(c.orders.posted)}件 · 办好${formatCount(c.orders.fulfilled)}件`,
    lagging: c.lagging,
    drill: c.level !== 'point',
  }));
}

/** Where the median line stands on the bars (0–100), or -1 when there is none. */
export function medianMark(rate: number | null): number {
  return rate === null ? -1 : Math.round(rate * 1000) / 10;
}

/** What the line chart draws: one category a month, two series. */
export interface LineSeries {
  categories: string[];
  series: { name: string; color: string; data: number[] }[];
}

export const COLORS = {
  posted: '#2f6db5',
  fulfilled: '#b3141b',
  lagging: '#d9822b',
  ring: ['#b3141b', '#2f6db5', '#1e6b2e', '#d9822b', '#7a4fb5', '#0f8a8a', '#a35200', '#5b6b7a', '#c2185b', '#6d8b00'],
};

/** 2026-03 → 3月. */
export function monthLabel(month: string): string {
  return `${Number(month.slice(5, 7))}月`;
}

export function trendSeries(trend: TrendPoint[]): LineSeries {
  return {
    categories: trend.map((t) => monthLabel(t.month)),
    series: [
      { name: '点单', color: COLORS.posted, data: trend.map((t) => t.posted) },
      { name: '办好', color: COLORS.fulfilled, data: trend.map((t) => t.fulfilled) },
    ],
  };
}

/** What the ring draws: a slice a category that had any wish posted, largest first. */
export interface RingSeries {
  series: { name: string; color: string; value: number }[];
}

export function categorySeries(f: Figures): RingSeries {
  const slices = CATEGORIES.map((c) => ({ name: CATEGORY_LABELS[c], value: f.byCategory[c]?.posted ?? 0 }))
    .filter((s) => s.value > 0)
    .sort((a, b) => b.value - a.value);
  return { series: slices.map((s, i) => ({ ...s, color: COLORS.ring[i % COLORS.ring.length] })) };
}

/** The page's title for a node: 凤山村 · 指挥中心. */
export function nodeTitle(o: Overview): string {
  return shortName(o.name);
}

export interface PartView {
  key: IndicatorKey;
  label: string;
  value: string;
  score: string;
  weight: number;
}

export interface LeagueRowView {
  orgId: string;
  rank: number;
  name: string;
  score: string;
  parts: PartView[];
}

/** An indicator's value as a villager reads it. */
export function indicatorValue(key: IndicatorKey, value: number | null): string {
  if (value === null) return '暂无';
  switch (key) {
    case 'fulfilmentRate':
    case 'volunteerParticipation':
      return formatRate(value);
    case 'activitiesPerStationMonth':
      return `${value.toFixed(1)}场`;
    case 'ratingAverage':
      return `${value.toFixed(1)}星`;
    case 'responseHours':
      return `${value.toFixed(1)}小时`;
  }
  return String(value);
}

export function leagueRows(rows: AssessmentRow[]): LeagueRowView[] {
  return rows.map((r) => ({
    orgId: r.orgId,
    rank: r.rank,
    name: shortName(r.name),
    score: r.score.toFixed(1),
    parts: r.parts.map((p) => ({
      key: p.key,
      label: INDICATOR_LABELS[p.key] ?? p.key,
      value: indicatorValue(p.key, p.value),
      score: p.score.toFixed(1),
      weight: p.weight,
    })),
  }));
}
