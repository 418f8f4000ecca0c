/**
 * 派单: the volunteers who could take this order, best first, each with the plain reasons for the rank
 * (同村, 1.2公里, 会健康服务, 手上0单, 评分4.8 …). The station head picks one, confirms, and the order
 * goes to them; the volunteer then accepts or declines.
 */
import { definePage } from '../../../base/page';
import type { Candidate } from '../../../contract/api';
import { dispatchOrder, getOrder, orderCandidates } from '../../../services/order';
import { loadFromQuery } from '../lib/order-query';
import { distanceFrom } from '../../../utils/format';
import { cardView, type OrderCardView } from '../lib/view';
import { goBack } from '../../../services/navigate';
import { pageUrl } from '../../../routes';

type Status = 'loading' | 'ready' | 'error';

interface CandidateView {
  openid: string;
  rank: number;
  name: string;
  reasons: { key: string; text: string }[];
  facts: string;
}

function candidateView(c: Candidate, i: number): CandidateView {
  const facts = [
    distanceFrom('距离', c.distanceM),
    `手上${c.load}单`,
    c.rating === null ? '还没有评分' : `评分${c.rating.toFixed(1)}`,
  ].filter(Boolean);
  return {
    openid: c.openid,
    rank: i + 1,
    name: c.name,
    reasons: c.reasons.map((text, k) => ({ key: `${k}`, text })),
    facts: facts.join(' · '),
  };
}

definePage({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    order: null as OrderCardView | null,
    canDispatch: false,
    candidates: [] as CandidateView[],
    chosen: '',
    chosenName: '',
    acting: false,
    actionError: '',
    done: '',
    _id: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      loadFromQuery(this, query);
    },

    onRetry() {
      void this.load();
    },

    async load() {
      this.setData({ status: 'loading', errorMessage: '', actionError: '' });
      const id = this.data._id;
      const [o, c] = await Promise.all([getOrder(id), orderCandidates(id)]);
      if (!o.ok) {
        this.setData({ status: 'error', errorMessage: o.error.message });
        return;
      }
      const canDispatch = o.data.can.includes('dispatch');
      if (canDispatch && !c.ok) {
        this.setData({ status: 'error', errorMessage: c.error.message });
        return;
      }
      this.setData({
        status: 'ready',
        order: cardView(o.data),
        canDispatch,
        candidates: canDispatch && c.ok ? c.data.candidates.map(candidateView) : [],
      });
    },

    onChoose(e: WechatMiniprogram.TouchEvent) {
      const openid = String(e.currentTarget.dataset.openid);
      const found = this.data.candidates.find((c) => c.openid === openid);
      if (found) this.setData({ chosen: openid, chosenName: found.name, actionError: '' });
    },

    onUnchoose() {
      this.setData({ chosen: '', chosenName: '', actionError: '' });
    },

    async onConfirm() {
      const volunteer = this.data.chosen;
      if (!volunteer || this.data.acting) return;
      this.setData({ acting: true, actionError: '' });
      const r = await dispatchOrder(this.data._id, volunteer);
      if (!r.ok) {
        this.setData({ acting: false, actionError: r.error.message });
        return;
      }
      this.setData({
        acting: false,
        chosen: '',
        done: `已派给${r.data.assignee ? r.data.assignee.name : this.data.chosenName}，等志愿者确认接单。`,
        order: cardView(r.data),
        canDispatch: false,
      });
    },

    onOpenDetail() {
      wx.redirectTo({ url: pageUrl('orderDetail', { id: this.data._id }) });
    },

    onBack() {
      goBack('home');
    },
  },
});
