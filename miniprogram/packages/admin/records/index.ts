/**
 * The orders behind a figure of 指挥中心 (`?show=posted|fulfilled`): the orders of the caller's area
 * (order.list, scope area), newest first, those fulfilled or closed for 已经办好. order.list takes no
 * node or period, so this lists the caller's whole area; each card opens the order's detail.
 */
import { definePage } from '../../../base/page';
import type { OrderSummary, Req } from '../../../contract/api';
import { CATEGORY_LABELS, LEVEL_LABELS } from '../../../contract/domain';
import { ORDER_KIND_INFO } from '../../../contract/order';
import type { OrderCardView } from '../../../components/order-card/type';
import { listOrders } from '../../../services/order';
import { apiErrorOf, unwrap } from '../../../services/transport';
import { formatTime } from '../../../utils/format';

type Status = 'loading' | 'ready' | 'error';
type Show = 'posted' | 'fulfilled';

const QUERIES: Record<Show, Omit<Req<'order', 'list'>, 'page'>> = {
  posted: { scope: 'area' },
  fulfilled: { scope: 'area', status: ['fulfilled', 'closed'] },
};

const TITLES: Record<Show, string> = { posted: '辖区的点单', fulfilled: '已经办好的点单' };

function cardOf(o: OrderSummary): OrderCardView {
  return {
    id: o.id,
    title: o.title,
    kind: ORDER_KIND_INFO[o.kind]?.label ?? '',
    category: CATEGORY_LABELS[o.category] ?? '',
    status: o.status,
    overdue: o.overdue,
    place: o.pointName ? `${o.stationName} · ${o.pointName}` : o.stationName,
    level: o.level && o.level !== 'station' ? `已上报到${LEVEL_LABELS[o.level]}` : '',
    time: formatTime(o.createdAt),
    distance: '',
    who: o.requesterName ? `提出人：${o.requesterName}` : '',
    excerpt: o.excerpt ?? '',
  };
}

definePage({
  data: {
    status: 'loading' as Status,
    message: '',
    title: '',
    orders: [] as OrderCardView[],
    hasMore: false,
    loadingMore: false,
    _show: 'posted' as Show,
    _nextPage: 0,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const show: Show = query.show === 'fulfilled' ? 'fulfilled' : 'posted';
      this.setData({ _show: show, title: TITLES[show] });
      wx.setNavigationBarTitle?.({ title: TITLES[show] });
      void this.load(0);
    },

    async load(page: number) {
      try {
        const r = unwrap(await listOrders({ ...QUERIES[this.data._show], ...(page > 0 ? { page } : {}) }));
        const cards = r.orders.map(cardOf);
        this.setData({
          status: 'ready',
          orders: page === 0 ? cards : [...this.data.orders, ...cards],
          hasMore: r.nextPage !== null,
          _nextPage: r.nextPage ?? 0,
          loadingMore: false,
        });
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message, loadingMore: false });
      }
    },

    onMore() {
      if (!this.data.hasMore || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      void this.load(this.data._nextPage);
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load(0);
    },
  },
});
