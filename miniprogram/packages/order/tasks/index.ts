/**
 * 我的任务: what has been dispatched to the volunteer or what they took, 要办的 (still to accept or to
 * finish) or 全部. Tapping one opens the detail, where they accept, decline or close it with proof.
 */
import { definePage } from '../../../base/page';
import type { OrderStatus } from '../../../contract/order';
import { listOrders } from '../../../services/order';
import { loadFirst, loadMore, pagedData, pageOf } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';
import { openPage } from '../../../services/navigate';

type Tab = 'todo' | 'all';

const TODO: OrderStatus[] = ['dispatched', 'accepted'];

const EMPTY: Record<Tab, string> = {
  todo: '现在没有要您办的任务。可以去“任务大厅”看看附近有什么需要帮忙的。',
  all: '您还没有接过任务。可以去“任务大厅”看看附近有什么需要帮忙的。',
};

const TABS = [
  { key: 'todo', label: '要办的' },
  { key: 'all', label: '全部' },
];

definePage({
  data: {
    tabs: TABS,
    ...pagedData<OrderCardView>(),
    tab: 'todo' as Tab,
    empty: EMPTY.todo,
    _shown: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      // The home page's 服务时长 opens `?view=hours`: until hours have a page of their own, show every task.
      const tab: Tab = query.tab === 'all' || query.view === 'hours' ? 'all' : 'todo';
      this.setData({ tab, empty: EMPTY[tab] });
      void this.reload();
    },

    onShow() {
      if (this.data._shown) void this.reload();
      this.setData({ _shown: true });
    },

    onPullDownRefresh() {
      void this.reload().then(() => wx.stopPullDownRefresh());
    },

    fetch(page: number) {
      const status = this.data.tab === 'todo' ? { status: TODO } : {};
      return listOrders({ scope: 'assigned', page, ...status }).then((r) => pageOf(r, (d) => d.orders, cardView));
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

    onHall() {
      void openPage('/packages/order/hall/index');
    },
  },
});
