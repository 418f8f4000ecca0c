/**
 * 我的心愿: what the villager has asked for, newest first; 办理中 (still being worked on) or 全部.
 * Tapping one opens its detail, where they can follow it, rate it or cancel it.
 */
import { ACTIVE_STATUSES } from '../../../contract/order';
import { listOrders } from '../../../services/order';
import { defineListPage } from '../lib/list-page';
import { pagedData, pageOf } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';
import { openPage } from '../../../services/navigate';

type Tab = 'active' | 'all';


const EMPTY: Record<Tab, string> = {
  active: '您现在没有正在办的需求。有需要就点上面的“我要点单”。',
  all: '您还没有提过需求。有需要就点上面的“我要点单”。',
};

const TABS = [
  { key: 'active', label: '办理中' },
  { key: 'all', label: '全部' },
];

defineListPage({
  emptyByTab: EMPTY,
  // Back from a detail where something changed: show it.
  reloadOnShow: true,
  data: {
    tabs: TABS,
    ...pagedData<OrderCardView>(),
    tab: 'active' as Tab,
    empty: EMPTY.active,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.showTab(query.tab === 'all' ? 'all' : 'active');
    },

    fetch(page: number) {
      const status = this.data.tab === 'active' ? { status: [...ACTIVE_STATUSES] } : {};
      return listOrders({ scope: 'mine', page, ...status }).then((r) => pageOf(r, (d) => d.orders, cardView));
    },

    onCreate() {
      void openPage('/packages/order/create/index');
    },
  },
});
