/**
 * 申报积分: the station's rule catalogue (积分细则), grouped, with what each earns or costs; a villager
 * picks a rule they may claim, says what happened, adds photos where the rule asks for them, and sends
 * it to the station head. The request id is made once per form, so a retried send is one claim.
 */
import { definePage } from '../../../base/page';
import { RULE_GROUP_LABELS, RULE_GROUPS, type IntegralRule } from '../../../contract/integral';
import { integralCall, signed } from '../../../services/integral';
import { newRequestId } from '../../../services/order';
import { photoCloudPath, uploadPhotos } from '../../../services/upload';

interface RuleView {
  id: string;
  name: string;
  points: string;
  cap: string;
  evidence: boolean;
  claimable: boolean;
}

const view = (r: IntegralRule): RuleView => ({
  id: r.id,
  name: r.name,
  points: `${signed(r.points)}分`,
  cap: r.monthlyCap === null ? '' : `每月最多${r.monthlyCap}次`,
  evidence: r.evidence,
  claimable: r.claimable && r.enabled,
});

definePage({
  data: {
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    groups: [] as { key: string; label: string; rules: RuleView[] }[],
    chosen: null as RuleView | null,
    note: '',
    paths: [] as string[],
    sending: false,
    formError: '',
    sent: '',
    _requestId: '',
    _uploaded: {} as Record<string, string>,
  },
  methods: {
    async onLoad() {
      const r = await integralCall('rules', {});
      if (!r.ok) {
        this.setData({ status: 'error', error: r.error.message });
        return;
      }
      const groups = RULE_GROUPS.map((g) => ({
        key: g,
        label: RULE_GROUP_LABELS[g],
        rules: r.data.rules.filter((x) => x.group === g && x.enabled).map(view),
      })).filter((g) => g.rules.length > 0);
      this.setData({ status: 'ready', groups });
    },
    onChoose(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const rule = this.data.groups.flatMap((g) => g.rules).find((x) => x.id === id);
      if (!rule || !rule.claimable) return;
      this.setData({
        chosen: rule,
        note: '',
        paths: [],
        formError: '',
        sent: '',
        _requestId: newRequestId(),
        _uploaded: {},
      });
    },
    onNote(e: WechatMiniprogram.Input) {
      this.setData({ note: e.detail.value.slice(0, 200), formError: '' });
    },
    onPhotos(e: WechatMiniprogram.CustomEvent<{ paths: string[] }>) {
      this.setData({ paths: e.detail.paths, formError: '' });
    },
    onCancel() {
      this.setData({ chosen: null, formError: '' });
    },
    async onSend() {
      const rule = this.data.chosen;
      if (!rule || this.data.sending) return;
      const note = this.data.note.trim();
      if (note.length < 2) return this.setData({ formError: '请写一写做了什么好事，至少2个字。' });
      if (rule.evidence && this.data.paths.length === 0)
        return this.setData({ formError: '这条细则需要上传照片作为证明。' });
      this.setData({ sending: true, formError: '' });
      const key = this.data._requestId;
      const up = await uploadPhotos(
        this.data.paths,
        (openid, p, i) => photoCloudPath(openid, 'integral', `${key}-${i}`, p),
        this.data._uploaded,
      );
      if (!up.ok) return this.setData({ sending: false, formError: up.error.message });
      const r = await integralCall('claim', { ruleId: rule.id, note, photos: up.data, requestId: key });
      if (!r.ok) return this.setData({ sending: false, formError: r.error.message });
      this.setData({
        sending: false,
        chosen: null,
        sent: `已提交“${rule.name}”，等站长审核。审核通过后会在村里公示。`,
      });
    },
  },
});
