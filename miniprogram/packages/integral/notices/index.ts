/**
 * 积分公示: the village's public notice board — what the station approved, for how many points, until
 * when — and what was cancelled after an objection, with the reason. A villager may object to a record
 * on notice; the station head (opened with ?manage=1) settles open objections: 成立 cancels it.
 */
import { definePage } from '../../../base/page';
import { CLAIM_SOURCE_LABELS, CLAIM_STATUS_LABELS, type IntegralClaim } from '../../../contract/integral';
import { day, integralCall, signed } from '../../../services/integral';

interface NoticeView {
  id: string;
  title: string;
  who: string;
  status: string;
  onNotice: boolean;
  until: string;
  note: string;
  objections: { text: string }[];
  open: boolean;
}

const view = (c: IntegralClaim): NoticeView => ({
  id: c.id,
  title: `${c.ruleName} ${signed(c.points)}分`,
  who: `${c.householdName}家 · ${CLAIM_SOURCE_LABELS[c.source]}`,
  status: CLAIM_STATUS_LABELS[c.status],
  onNotice: c.status === 'notice',
  until: c.noticeEndsAt ? `公示到 ${day(c.noticeEndsAt)}` : '',
  note: c.note,
  objections: c.objections.map((o) => ({
    text: `${o.byName ?? '村民'}：${o.reason}${o.outcome ? `（${o.outcome}）` : '（待处理）'}`,
  })),
  open: c.objections.some((o) => o.outcome === null),
});

definePage({
  data: {
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    items: [] as NoticeView[],
    manage: false,
    writing: '',
    reason: '',
    actionError: '',
    acting: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ manage: query.manage === '1' });
      void this.load();
    },
    async load() {
      const r = await integralCall('notices', {});
      if (!r.ok) return this.setData({ status: 'error', error: r.error.message });
      this.setData({ status: 'ready', items: r.data.claims.map(view) });
    },
    onStart(e: WechatMiniprogram.TouchEvent) {
      this.setData({ writing: String(e.currentTarget.dataset.id), reason: '', actionError: '' });
    },
    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value.slice(0, 200), actionError: '' });
    },
    onCancel() {
      this.setData({ writing: '', actionError: '' });
    },
    /** 提异议 (a villager) or 异议成立/不成立 (the station head), both with a reason. */
    async onSubmit(e: WechatMiniprogram.TouchEvent) {
      const how = String(e.currentTarget.dataset.how);
      const reason = this.data.reason.trim();
      if (reason.length < 2) return this.setData({ actionError: '请写一下理由，至少2个字。' });
      if (this.data.acting) return;
      this.setData({ acting: true });
      const id = this.data.writing;
      const r =
        how === 'object'
          ? await integralCall('object', { id, reason })
          : await integralCall('settleObjection', { id, uphold: how === 'uphold', reason });
      if (!r.ok) return this.setData({ acting: false, actionError: r.error.message });
      const i = this.data.items.findIndex((x) => x.id === id);
      this.setData({ acting: false, writing: '', [`items[${i}]`]: view(r.data) });
    },
  },
});
