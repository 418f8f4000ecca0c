/**
 * 指挥中心: the figures of a node (the caller's own, or `?orgId=` one in their scope) over a period
 * (本月 / 今年 / 自定义): the headline figures, the trend by month (a line), the children as bars with
 * the laggards marked and the median beside them, and the categories (a ring). A tap on a child opens
 * this page one level down; a tap on an order figure opens the orders behind it.
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import type { Overview } from '../../../contract/stats';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { overview } from '../../../services/stats';
import { apiErrorOf, unwrap } from '../../../services/transport';
import { shanghaiDay } from '../../../utils/format';
import {
  categorySeries,
  childViews,
  details,
  formatRate,
  headline,
  idleNames,
  medianMark,
  nodeTitle,
  periodRange,
  PERIODS,
  trendSeries,
  type ChildView,
  type FigureLink,
  type FigureView,
  type LineSeries,
  type PeriodKey,
  type RingSeries,
} from '../stats-view';

type Status = 'loading' | 'ready' | 'error';

definePage({
  data: {
    status: 'loading' as Status,
    message: '',
    title: '',
    level: '',
    periods: PERIODS,
    period: 'year' as PeriodKey,
    from: '',
    to: '',
    today: '',
    figures: [] as FigureView[],
    details: [] as { key: string; label: string; value: string }[],
    children: [] as ChildView[],
    idle: '',
    idleCount: 0,
    childLabel: '',
    median: -1,
    medianText: '',
    trendChart: { categories: [], series: [] } as LineSeries,
    categoryChart: { series: [] } as RingSeries,
    orgId: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const today = shanghaiDay(Date.now());
      const period: PeriodKey = query.from || query.to ? 'custom' : query.period === 'month' ? 'month' : 'year';
      const range =
        period === 'custom'
          ? { from: query.from ?? `${today.slice(0, 4)}-01-01`, to: query.to ?? today }
          : periodRange(period, today);
      this.setData({ orgId: query.orgId ?? '', today, period, ...range });
      void this.load();
    },

    async load() {
      const { orgId, from, to } = this.data;
      try {
        const o: Overview = unwrap(await overview({ ...(orgId ? { orgId: orgId } : {}), from, to }));
        const children = childViews(o.children);
        wx.setNavigationBarTitle?.({ title: `${nodeTitle(o)} · 指挥中心` });
        this.setData({
          status: 'ready',
          title: nodeTitle(o),
          level: o.level,
          from: o.from,
          to: o.to,
          figures: headline(o),
          details: details(o),
          children,
          idle: idleNames(o.children),
          idleCount: o.children.length - children.length,
          childLabel: o.level === 'center' ? '各实践所' : o.level === 'institute' ? '各实践站' : '各实践点',
          median: medianMark(o.childMedianRate),
          medianText: formatRate(o.childMedianRate),
          trendChart: trendSeries(o.trend),
          categoryChart: categorySeries(o),
        });
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    onPeriod(e: Tap<{ key: PeriodKey }>) {
      const key = e.currentTarget.dataset.key;
      if (key === this.data.period) return;
      if (key === 'custom') {
        this.setData({ period: 'custom' });
        return;
      }
      this.setData({ period: key, status: 'loading', ...periodRange(key, this.data.today) });
      void this.load();
    },

    onFrom(e: WechatMiniprogram.PickerChange) {
      const from = String(e.detail.value);
      this.setData({ from, ...(from > this.data.to ? { to: from } : {}), status: 'loading' });
      void this.load();
    },

    onTo(e: WechatMiniprogram.PickerChange) {
      const to = String(e.detail.value);
      this.setData({ to, ...(to < this.data.from ? { from: to } : {}), status: 'loading' });
      void this.load();
    },

    onChild(e: Tap<{ id: string; drill: boolean }>) {
      const { id, drill } = e.currentTarget.dataset;
      if (!id || !drill) return;
      void openPage(pageUrl('statsDashboard', { orgId: id, from: this.data.from, to: this.data.to }));
    },

    onFigure(e: Tap<{ link: FigureLink }>) {
      const link = e.currentTarget.dataset.link;
      if (!link) return;
      void openPage(pageUrl('statsRecords', { show: link }));
    },

    onLeague() {
      void openPage(pageUrl('statsLeague'));
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
  },
});
