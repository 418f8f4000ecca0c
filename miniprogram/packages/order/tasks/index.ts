/**
 * 我的任务: what has been dispatched to the volunteer or what they took, 要办的 (still to accept or to
 * finish) or 全部. An order waiting for them reads 待您接单 with 接单 on the card; tapping a card opens
 * the detail, where they decline or close it with proof.
 */
import type { Detail } from '../../../base/events';
import type { AcceptDetail } from '../../../components/order-card/type';
import type { OrderSummary } from '../../../contract/api';
import type { OrderStatus } from '../../../contract/order';
import { acceptOrder, askSubscribe, listOrders } from '../../../services/order';
import { defineListPage, type ListTab } from '../lib/list-page';
import { pagedData, pageOf } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';
import { openPage } from '../../../services/navigate';
import { pageUrl } from '../../../routes';

type Tab = 'todo' | 'all';

const TODO: OrderStatus[] = ['dispatched', 'accepted'];

/** A task card: one dispatched to the volunteer and not yet taken says so, with 接单 on it. */
function taskView(o: OrderSummary): OrderCardView {
  const card = cardView(o);
  return o.status === 'dispatched' ? { ...card, label: '待您接单', accept: true } : card;
}

const TABS: Record<Tab, ListTab> = {
  todo: { label: '要办的', empty: '现在没有要您办的任务。可以去“任务大厅”看看附近有什么需要帮忙的。' },
  all: { label: '全部', empty: '您还没有接过任务。可以去“任务大厅”看看附近有什么需要帮忙的。' },
};

defineListPage({
  tabs: TABS,
  reloadOnShow: true,
  data: { ...pagedData<OrderCardView>(), tab: 'todo' as Tab },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      // The home page's 服务时长 opens `?view=hours`: until hours have a page of their own, show every task.
      this.showTab(query.tab === 'all' || query.view === 'hours' ? 'all' : 'todo');
    },

    fetch(page: number) {
      const status = this.data.tab === 'todo' ? { status: TODO } : {};
      return listOrders({ scope: 'assigned', page, ...status }).then((r) => pageOf(r, (d) => d.orders, taskView));
    },

    async onAccept(e: Detail<AcceptDetail>) {
      // WeChat shows the prompt only from the tap itself, before anything is awaited.
      askSubscribe(['dispatched']);
      const r = await acceptOrder(e.detail.id);
      wx.showToast({ title: r.ok ? '您已接单，请按约定去办。' : r.error.message, icon: 'none', duration: 2500 });
      await this.reload();
    },

    onHall() {
      void openPage(pageUrl('orderHall'));
    },
  },
});
