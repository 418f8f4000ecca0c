/**
 * 我的心愿: what the villager has asked for, newest first; 办理中 (still being worked on) or 全部.
 * Tapping one opens its detail, where they can follow it, rate it or cancel it.
 */
import { definePage } from '../../../base/page';
import { ORDER_STATUSES, STATUS_INFO } from '../../../contract/order';
import { listOrders } from '../../../services/order';
import { loadFirst, loadMore, pagedData, pageOf } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';
import { openPage } from '../../../services/navigate';

type Tab = 'active' | 'all';

const ACTIVE = ORDER_STATUSES.filter((s) => STATUS_INFO[s].active);

const EMPTY: Record<Tab, string> = {
  active: '您现在没有正在办的需求。有需要就点上面的“我要点单”。',
  all: '您还没有提过需求。有需要就点上面的“我要点单”。',
};

const TABS = [
  { key: 'active', label: '办理中' },
  { key: 'all', label: '全部' },
];

definePage({
  data: {
    tabs: TABS,
    ...pagedData<OrderCardView>(),
    tab: 'active' as Tab,
    empty: EMPTY.active,
    _shown: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const tab: Tab = query.tab === 'all' ? 'all' : 'active';
      this.setData({ tab, empty: EMPTY[tab] });
      void this.reload();
    },

    onShow() {
      // Back from a detail where something changed: show it.
      if (this.data._shown) void this.reload();
      this.setData({ _shown: true });
    },

    onPullDownRefresh() {
      void this.reload().then(() => wx.stopPullDownRefresh());
    },

    fetch(page: number) {
      const status = this.data.tab === 'active' ? { status: [...ACTIVE] } : {};
      return listOrders({ scope: 'mine', page, ...status }).then((r) => pageOf(r, (d) => d.orders, cardView));
    },

    reload() {
      return loadFirst(this, (p) => this.fetch(p));
    },

    onRetry() {
      void this.reload();
    },

    onMore() {
      void loadMore(this, (p) => this.fetch(p));
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const tab = e.detail.value as Tab;
      if (tab === this.data.tab || !EMPTY[tab]) return;
      this.setData({ tab, empty: EMPTY[tab] });
      void this.reload();
    },

    onCreate() {
      void openPage('/packages/order/create/index');
    },
  },
});
