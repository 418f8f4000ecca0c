/**
 * 我的心愿: what the villager has asked for, newest first; 办理中 (still being worked on) or 全部.
 * Tapping one opens its detail, where they can follow it, rate it or cancel it.
 */
import { ACTIVE_STATUSES } from '../../../contract/order';
import { listOrders } from '../../../services/order';
import { defineListPage, type ListTab } from '../lib/list-page';
import { pagedData, pageOf } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';
import { openPage } from '../../../services/navigate';
import { pageUrl } from '../../../routes';

type Tab = 'active' | 'all';

const TABS: Record<Tab, ListTab> = {
  active: { label: '办理中', empty: '您现在没有正在办的需求。有需要就点上面的“我要点单”。' },
  all: { label: '全部', empty: '您还没有提过需求。有需要就点上面的“我要点单”。' },
};

defineListPage({
  tabs: TABS,
  // Back from a detail where something changed: show it.
  reloadOnShow: true,
  data: { ...pagedData<OrderCardView>(), tab: 'active' as Tab },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.showTab(query.tab === 'all' ? 'all' : 'active');
    },

    fetch(page: number) {
      const status = this.data.tab === 'active' ? { status: [...ACTIVE_STATUSES] } : {};
      return listOrders({ scope: 'mine', page, ...status }).then((r) => pageOf(r, (d) => d.orders, cardView));
    },

    onCreate() {
      void openPage(pageUrl('orderCreate'));
    },
  },
});
