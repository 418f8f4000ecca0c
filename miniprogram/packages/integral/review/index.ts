/**
 * 积分审核 for the station head: the claims waiting for review (通过 puts them on public notice; 不通过
 * needs a reason), and 加分扣分 — an award or deduction for a household by its number, under a rule,
 * with what happened. Nobody may decide for their own household; big ones go to the institute, whose
 * admins open this page with ?scope=second (复核) or ?scope=flagged (a burst of approvals to look at).
 */
import { definePage } from '../../../base/page';
import {
  CLAIM_SOURCE_LABELS,
  CLAIM_STATUS_LABELS,
  type ClaimStatus,
  type IntegralClaim,
  type IntegralRule,
} from '../../../contract/integral';
import { integralCall, signed } from '../../../services/integral';
import { newRequestId } from '../../../services/order';

type Tab = 'queue' | 'award';

/** A row; `waiting` is the status this queue decides (pending, or second at the institute). */
const view = (c: IntegralClaim, waiting: ClaimStatus) => ({
  id: c.id,
  title: `${c.ruleName} ${signed(c.points)}分`,
  who: `${c.householdName}家（户号${c.householdId}）· ${CLAIM_SOURCE_LABELS[c.source]}`,
  note: c.note,
  photos: c.photos.length,
  decided: c.status === waiting ? '' : CLAIM_STATUS_LABELS[c.status],
});

definePage({
  data: {
    tab: 'queue' as Tab,
    /** Which queue the first tab shows: the station's, the institute's second approvals, or the flagged. */
    scope: 'queue' as 'queue' | 'second' | 'flagged',
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    items: [] as ReturnType<typeof view>[],
    rejecting: '',
    reason: '',
    actionError: '',
    rules: [] as { id: string; label: string }[],
    ruleIndex: -1,
    householdId: '',
    note: '',
    awardResult: '',
    _requestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const scope = query.scope === 'second' || query.scope === 'flagged' ? query.scope : 'queue';
      this.setData({ tab: query.tab === 'award' ? 'award' : 'queue', scope });
      void this.load();
    },
    async load() {
      if (this.data.tab === 'award') {
        const r = await integralCall('rules', {});
        if (!r.ok) return this.setData({ status: 'error', error: r.error.message });
        const rules = r.data.rules
          .filter((x: IntegralRule) => x.enabled)
          .map((x: IntegralRule) => ({ id: x.id, label: `${x.name}（${signed(x.points)}分）` }));
        return this.setData({ status: 'ready', rules, _requestId: newRequestId() });
      }
      const r = await integralCall('claims', { scope: this.data.scope });
      if (!r.ok) return this.setData({ status: 'error', error: r.error.message });
      this.setData({ status: 'ready', items: r.data.claims.map((c) => view(c, this.waiting())) });
    },
    waiting(): ClaimStatus {
      return this.data.scope === 'second' ? 'second' : 'pending';
    },
    onTab(e: WechatMiniprogram.TouchEvent) {
      this.setData({
        tab: e.currentTarget.dataset.tab === 'award' ? 'award' : 'queue',
        status: 'loading',
        awardResult: '',
      });
      void this.load();
    },
    async decide(id: string, approve: boolean, reason?: string) {
      const r = await integralCall('review', { id, approve, ...(reason ? { reason } : {}) });
      if (!r.ok) return this.setData({ actionError: r.error.message });
      const i = this.data.items.findIndex((x) => x.id === id);
      this.setData({ rejecting: '', actionError: '', [`items[${i}]`]: view(r.data, this.waiting()) });
    },
    onApprove(e: WechatMiniprogram.TouchEvent) {
      void this.decide(String(e.currentTarget.dataset.id), true);
    },
    onRejectStart(e: WechatMiniprogram.TouchEvent) {
      this.setData({ rejecting: String(e.currentTarget.dataset.id), reason: '', actionError: '' });
    },
    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value.slice(0, 200) });
    },
    onRejectSubmit() {
      const reason = this.data.reason.trim();
      if (reason.length < 2) return this.setData({ actionError: '请写一下不通过的原因，至少2个字。' });
      void this.decide(this.data.rejecting, false, reason);
    },
    onHousehold(e: WechatMiniprogram.Input) {
      this.setData({ householdId: e.detail.value.trim(), actionError: '' });
    },
    onRule(e: WechatMiniprogram.PickerChange) {
      this.setData({ ruleIndex: Number(e.detail.value), actionError: '' });
    },
    onNote(e: WechatMiniprogram.Input) {
      this.setData({ note: e.detail.value.slice(0, 200), actionError: '' });
    },
    async onAward() {
      const rule = this.data.rules[this.data.ruleIndex];
      if (!/^\d{6,12}$/.test(this.data.householdId)) return this.setData({ actionError: '请填写正确的户号。' });
      if (!rule) return this.setData({ actionError: '请选一条积分细则。' });
      if (this.data.note.trim().length < 2) return this.setData({ actionError: '请写一写事情经过。' });
      const r = await integralCall('award', {
        householdId: this.data.householdId,
        ruleId: rule.id,
        note: this.data.note.trim(),
        requestId: this.data._requestId,
      });
      if (!r.ok) return this.setData({ actionError: r.error.message });
      this.setData({
        awardResult: `已记下：户号${this.data.householdId} ${rule.label}，现在${CLAIM_STATUS_LABELS[r.data.status]}。`,
        householdId: '',
        note: '',
        ruleIndex: -1,
        _requestId: newRequestId(),
      });
    },
  },
});
