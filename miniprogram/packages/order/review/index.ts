/**
 * 审核派单 for station heads and above, three lists in one page: 待审核 (approve here, or turn down with
 * a reason), 待派单 (go to the dispatch page with the ranked volunteers) and 逾期与上报 (past their
 * deadline or sent up as whistles; overdue ones red). `?tab=review|dispatch|overdue` (or the home page's
 * `?status=submitted|open|overdue`) opens a given list.
 */
import type { OrderSummary, Req } from '../../../contract/api';
import type { Result } from '../../../contract/errors';
import { ACTIVE_STATUSES } from '../../../contract/order';
import { askSubscribe, getOrder, listOrders, newRequestId, reviewOrder, urgeOrder } from '../../../services/order';
import { formatTime } from '../../../utils/format';
import { defineListPage, type ListTab } from '../lib/list-page';
import { loadFirst, pagedData, type Rows } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';
import { openPage } from '../../../services/navigate';
import { pageUrl } from '../../../routes';

type Tab = 'review' | 'dispatch' | 'overdue';

interface ReviewItem extends OrderCardView {
  /** After a decision on this page: 'approved' or 'rejected'. */
  decided: '' | 'approved' | 'rejected';
  /** On 逾期与上报: the volunteer holding it (在办的志愿者：…), and when it was last urged. */
  holder: string;
  urged: string;
  /** 催办 reaches a holder (dispatched or accepted); 打电话 only once they have accepted (privacy rules). */
  canUrge: boolean;
  canCall: boolean;
}

function reviewItem(o: OrderSummary): ReviewItem {
  const held = !!o.assigneeName && (o.status === 'dispatched' || o.status === 'accepted');
  return {
    ...cardView(o),
    decided: '',
    holder: held ? `在办的志愿者：${o.assigneeName}` : '',
    urged: o.urgedAt ? `${formatTime(o.urgedAt)}催办过` : '',
    canUrge: held,
    canCall: held && o.status === 'accepted',
  };
}

const TABS: Record<Tab, ListTab> = {
  review: { label: '待审核', empty: '没有要审核的需求，都处理完了。' },
  dispatch: { label: '待派单', empty: '没有等着派单的需求。' },
  overdue: { label: '逾期与上报', empty: '没有逾期或上报的需求。' },
};

/**
 * What each tab lists. 逾期与上报 is every active order that has climbed above its station: orders
 * escalated after a missed deadline (overdue ones are the ones still late at the center) and whistles,
 * which start one level up. It pages through both levels in step, the center's first.
 */
const QUERIES: Record<Tab, Omit<Req<'order', 'list'>, 'page'>[]> = {
  review: [{ scope: 'area', status: ['submitted'] }],
  dispatch: [{ scope: 'area', status: ['open'] }],
  overdue: [
    { scope: 'area', status: [...ACTIVE_STATUSES], level: 'center' },
    { scope: 'area', status: [...ACTIVE_STATUSES], level: 'institute' },
  ],
};

const REJECT_REASONS = ['不属于服务范围', '内容说得不清楚', '已经有人在办了'].map((text) => ({ text }));
const REASON_MIN = 2;
const REASON_MAX = 200;

/** The request id of a 催办 not yet answered, by order. */
const urgeIds: Record<string, string> = {};

/** The home page links by status: `?status=submitted|open|overdue`. */
const FROM_STATUS: Record<string, Tab> = { submitted: 'review', open: 'dispatch', overdue: 'overdue' };

function isTab(v: unknown): v is Tab {
  return v === 'review' || v === 'dispatch' || v === 'overdue';
}

defineListPage({
  tabs: TABS,
  reloadOnShow: true,
  data: {
    ...pagedData<ReviewItem>(),
    tab: 'review' as Tab,
    rejecting: '',
    reason: '',
    rejectReasons: REJECT_REASONS,
    reasonMax: REASON_MAX,
    acting: '',
    actionError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.showTab(isTab(query.tab) ? query.tab : (FROM_STATUS[query.status ?? ''] ?? 'review'));
    },

    async fetch(page: number): Promise<Result<Rows<ReviewItem>>> {
      const answers = await Promise.all(QUERIES[this.data.tab].map((q) => listOrders({ ...q, page })));
      const items: ReviewItem[] = [];
      let more = false;
      for (const r of answers) {
        if (!r.ok) return r;
        items.push(...r.data.orders.map(reviewItem));
        more = more || r.data.nextPage !== null;
      }
      return { ok: true, data: { items, nextPage: more ? page + 1 : null } };
    },

    /** A reload also closes a half-written 不通过 and its error. */
    reload() {
      this.setData({ rejecting: '', reason: '', actionError: '' });
      return loadFirst(this, (p) => this.fetch(p));
    },

    indexOf(id: string): number {
      return this.data.items.findIndex((o) => o.id === id);
    },

    async decide(id: string, approve: boolean, reason?: string) {
      const i = this.indexOf(id);
      if (i < 0 || this.data.acting) return;
      this.setData({ acting: id, actionError: '' });
      const r = await reviewOrder({ id, approve, ...(reason ? { reason } : {}) });
      if (!r.ok) {
        this.setData({ acting: '', actionError: r.error.message });
        return;
      }
      // Only the changed row travels through setData.
      this.setData({
        acting: '',
        rejecting: '',
        reason: '',
        [`items[${i}].status`]: r.data.status,
        [`items[${i}].decided`]: approve ? 'approved' : 'rejected',
      });
    },

    onApprove(e: WechatMiniprogram.TouchEvent) {
      // Asked from the tap itself: to be told of the next wish that needs the station head.
      askSubscribe(['attention']);
      void this.decide(String(e.currentTarget.dataset.id), true);
    },

    onRejectStart(e: WechatMiniprogram.TouchEvent) {
      this.setData({ rejecting: String(e.currentTarget.dataset.id), reason: '', actionError: '' });
    },

    onRejectCancel() {
      this.setData({ rejecting: '', reason: '', actionError: '' });
    },

    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value.slice(0, REASON_MAX), actionError: '' });
    },

    onQuickReason(e: WechatMiniprogram.TouchEvent) {
      this.setData({ reason: String(e.currentTarget.dataset.reason ?? ''), actionError: '' });
    },

    onRejectSubmit() {
      const reason = this.data.reason.trim();
      if (reason.length < REASON_MIN) {
        this.setData({ actionError: `请写一下不通过的原因，至少${REASON_MIN}个字。` });
        return;
      }
      void this.decide(this.data.rejecting, false, reason);
    },

    /** 催办: one request id per order until it is answered, so a retried tap is one reminder. */
    async onUrge(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const i = this.indexOf(id);
      if (i < 0 || this.data.acting) return;
      const requestId = (urgeIds[id] ??= newRequestId());
      this.setData({ acting: id, actionError: '' });
      const r = await urgeOrder(id, requestId);
      if (!r.ok) {
        // Refused for good (already urged, nobody holds it): a next tap is a new request.
        if (r.error.code !== 'UNAVAILABLE' && r.error.code !== 'INTERNAL') delete urgeIds[id];
        this.setData({ acting: '', actionError: r.error.message });
        return;
      }
      delete urgeIds[id];
      this.setData({
        acting: '',
        [`items[${i}].urged`]: `已催办，${formatTime(r.data.urgedAt ?? new Date().toISOString())}`,
        [`items[${i}].canUrge`]: false,
      });
    },

    /** 打电话: the holder's phone comes with the order only while the privacy rules allow it. */
    async onCall(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      if (this.data.acting) return;
      this.setData({ acting: id, actionError: '' });
      const r = await getOrder(id);
      this.setData({ acting: '' });
      if (!r.ok) {
        this.setData({ actionError: r.error.message });
        return;
      }
      if (!r.data.assigneePhone) {
        this.setData({ actionError: '志愿者还没有接单，现在看不到他的电话，可以先催办。' });
        return;
      }
      wx.makePhoneCall({ phoneNumber: r.data.assigneePhone, fail: () => undefined });
    },

    onDispatch(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      void openPage(pageUrl('orderDispatch', { id }));
    },
  },
});
