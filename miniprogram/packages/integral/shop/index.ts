/**
 * 积分超市: what the village's (and the town's shared) shop offers for points, and the household's
 * pickup codes (?tab=codes). 兑换 asks once, then reserves the item and shows the code to tell the
 * station head; the request id is made per tap of 兑换, so a retry after a lost answer is one redemption.
 */
import { definePage } from '../../../base/page';
import { REDEMPTION_STATUS_LABELS, type IntegralItem, type Redemption } from '../../../contract/integral';
import { day, integralCall } from '../../../services/integral';
import { newRequestId } from '../../../services/order';

type Tab = 'items' | 'codes';

const itemView = (i: IntegralItem) => ({
  id: i.id,
  name: i.name,
  points: i.points,
  stock: i.stock,
  place: i.pickupPlace,
});
const codeView = (r: Redemption) => ({
  id: r.id,
  name: r.itemName,
  code: r.pickupCode,
  status: REDEMPTION_STATUS_LABELS[r.status],
  waiting: r.status === 'reserved',
  place: r.pickupPlace,
  until: `请在 ${day(r.expiresAt)} 前领取`,
});

definePage({
  data: {
    tab: 'items' as Tab,
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    balance: 0,
    items: [] as ReturnType<typeof itemView>[],
    codes: [] as ReturnType<typeof codeView>[],
    buying: '',
    done: null as ReturnType<typeof codeView> | null,
    actionError: '',
    _requestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ tab: query.tab === 'codes' ? 'codes' : 'items' });
      void this.load();
    },
    async load(): Promise<void> {
      // An answer for a tab the villager has already left is dropped.
      const tab = this.data.tab;
      if (tab === 'codes') {
        const r = await integralCall('redemptions', { scope: 'mine' });
        if (this.data.tab !== tab) return;
        if (!r.ok) return this.setData({ status: 'error', error: r.error.message });
        return this.setData({ status: 'ready', codes: r.data.redemptions.map(codeView) });
      }
      const [items, bal] = await Promise.all([integralCall('items', {}), integralCall('balance', {})]);
      if (this.data.tab !== tab) return;
      if (!items.ok) return this.setData({ status: 'error', error: items.error.message });
      this.setData({ status: 'ready', items: items.data.items.map(itemView), balance: bal.ok ? bal.data.balance : 0 });
    },
    onTab(e: WechatMiniprogram.TouchEvent) {
      this.setData({ tab: e.currentTarget.dataset.tab === 'codes' ? 'codes' : 'items', status: 'loading', done: null });
      void this.load();
    },
    onBuy(e: WechatMiniprogram.TouchEvent) {
      this.setData({
        buying: String(e.currentTarget.dataset.id),
        actionError: '',
        done: null,
        _requestId: newRequestId(),
      });
    },
    onCancel() {
      this.setData({ buying: '', actionError: '' });
    },
    async onConfirm() {
      const itemId = this.data.buying;
      if (!itemId) return;
      const r = await integralCall('redeem', { itemId, requestId: this.data._requestId });
      if (!r.ok) return this.setData({ actionError: r.error.message });
      this.setData({ buying: '', done: codeView(r.data) });
      void this.load();
    },
  },
});
