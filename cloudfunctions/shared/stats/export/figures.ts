/**
 * 统计数据: the figures of a node and of each of its children (one row each, the node first), the
 * month-by-month trend and the breakdown by category, built from an `Overview` (typings/stats.ts). Pure:
 * the sheets with their rows; `writeSheets` puts them in a book. The overview itself comes from the
 * stats function's overview (kept figures), not from reading records here.
 */
import { CATEGORIES, CATEGORY_LABELS, LEVEL_LABELS, type Category } from '../../../../typings/domain';
import type { NodeFigures, Overview, TrendPoint } from '../../../../typings/stats';
import type { SheetData, SheetSpec } from './workbook';

export type FigureRow = NodeFigures & { role: '本级' | '下级'; lagging: boolean };
export interface CategoryRow {
  category: Category;
  posted: number;
  fulfilled: number;
}

const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

export const FIGURE_SHEET: SheetSpec<FigureRow> = {
  name: '各级数据',
  columns: [
    { header: '名称', width: 28, value: (f) => f.name },
    { header: '层级', width: 8, value: (f) => LEVEL_LABELS[f.level] ?? f.level },
    { header: '本级/下级', width: 10, value: (f) => f.role },
    { header: '提交需求', width: 10, value: (f) => f.orders.posted },
    { header: '已审核', width: 8, value: (f) => f.orders.reviewed },
    { header: '已办结', width: 8, value: (f) => f.orders.fulfilled },
    { header: '已关闭', width: 8, value: (f) => f.orders.closed },
    { header: '未通过', width: 8, value: (f) => f.orders.rejected },
    { header: '已取消', width: 8, value: (f) => f.orders.cancelled },
    { header: '超时上报', width: 10, value: (f) => f.orders.escalated },
    { header: '红色预警', width: 10, value: (f) => f.orders.red },
    { header: '实现率（%）', width: 12, value: (f) => percent(f.fulfilmentRate) },
    { header: '落后', width: 6, value: (f) => (f.lagging ? '是' : '') },
    { header: '接单用时中位数（分钟）', width: 22, value: (f) => f.medianAcceptMin },
    { header: '办结用时中位数（分钟）', width: 22, value: (f) => f.medianFulfilMin },
    {
      header: '平均评价',
      width: 10,
      value: (f) => (f.ratingAverage === null ? null : Math.round(f.ratingAverage * 100) / 100),
    },
    { header: '评价数', width: 8, value: (f) => f.ratings },
    { header: '新注册志愿者', width: 12, value: (f) => f.volunteers.registered },
    { header: '活跃志愿者', width: 12, value: (f) => f.volunteers.active },
    { header: '活动场次', width: 10, value: (f) => f.activities.held },
    { header: '签到人次', width: 10, value: (f) => f.activities.checkins },
    { header: '记录时长（小时）', width: 16, value: (f) => hours(f.hours.recordedMinutes) },
    { header: '荣誉时长（小时）', width: 16, value: (f) => hours(f.hours.honourMinutes) },
    { header: '积分发放', width: 10, value: (f) => f.points.issued },
    { header: '积分扣减', width: 10, value: (f) => f.points.deducted },
    { header: '积分兑换', width: 10, value: (f) => f.points.redeemed },
  ],
};

export const TREND_SHEET: SheetSpec<TrendPoint> = {
  name: '月度趋势',
  columns: [
    { header: '月份', width: 10, value: (t) => t.month },
    { header: '提交需求', width: 10, value: (t) => t.posted },
    { header: '已办结', width: 8, value: (t) => t.fulfilled },
    { header: '实现率（%）', width: 12, value: (t) => percent(t.fulfilmentRate) },
    { header: '签到人次', width: 10, value: (t) => t.checkins },
    { header: '记录时长（小时）', width: 16, value: (t) => hours(t.recordedMinutes) },
  ],
};

export const CATEGORY_SHEET: SheetSpec<CategoryRow> = {
  name: '服务类别',
  columns: [
    { header: '服务类别', width: 10, value: (c) => CATEGORY_LABELS[c.category] ?? c.category },
    { header: '提交需求', width: 10, value: (c) => c.posted },
    { header: '已办结', width: 8, value: (c) => c.fulfilled },
  ],
};

/** The figures workbook's sheets: the node and its children, the trend, the categories. */
export function figuresWorkbook(overview: Overview): SheetData<unknown>[] {
  const { children, trend, from: _from, to: _to, childMedianRate: _median, ...node } = overview;
  const rows: FigureRow[] = [
    { ...node, role: '本级', lagging: false },
    ...children.map((c) => ({ ...c, role: '下级' as const })),
  ];
  const categories: CategoryRow[] = CATEGORIES.map((category) => ({
    category,
    posted: overview.byCategory[category]?.posted ?? 0,
    fulfilled: overview.byCategory[category]?.fulfilled ?? 0,
  }));
  return [
    { spec: FIGURE_SHEET, rows },
    { spec: TREND_SHEET, rows: trend },
    { spec: CATEGORY_SHEET, rows: categories },
  ] as SheetData<unknown>[];
}
