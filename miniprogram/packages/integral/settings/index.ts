/**
 * 积分规则设置 for the center admin: the settings every station's moral integral runs by — how many
 * days an approved record stays on the public notice, above how many points a second approval is
 * needed, how many approvals in how many minutes flag a burst, how many days a reservation waits.
 * Each value is checked against its bounds here (the same ones the function checks) before saving.
 */
import { definePage } from '../../../base/page';
import { INTEGRAL_SETTING_BOUNDS, type IntegralSettings } from '../../../contract/integral';
import { integralCall } from '../../../services/integral';

type Key = keyof IntegralSettings;
const FIELDS: { key: Key; label: string; unit: string }[] = [
  { key: 'noticeDays', label: '公示天数', unit: '天' },
  { key: 'secondApprovalAbove', label: '超过多少分要所里复核', unit: '分' },
  { key: 'burstLimit', label: '短时间内审批超过多少条要提醒', unit: '条' },
  { key: 'burstWindowMin', label: '“短时间”指多少分钟', unit: '分钟' },
  { key: 'pickupDays', label: '兑换后几天内不领取就退回', unit: '天' },
];

const rows = (s: IntegralSettings) =>
  FIELDS.map((f) => ({
    ...f,
    value: String(s[f.key]),
    hint: `${INTEGRAL_SETTING_BOUNDS[f.key].min}～${INTEGRAL_SETTING_BOUNDS[f.key].max}${f.unit}`,
  }));

definePage({
  data: {
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    fields: [] as ReturnType<typeof rows>,
    saving: false,
    actionError: '',
    saved: '',
  },
  methods: {
    async onLoad(): Promise<void> {
      const profile = await getApp<IAppOption>()
        .ready()
        .catch(() => null);
      if (!profile?.roles.some((r) => r.role === 'centerAdmin')) {
        return this.setData({ status: 'error', error: '只有中心管理员可以修改积分规则设置。' });
      }
      const r = await integralCall('settings', {});
      if (!r.ok) return this.setData({ status: 'error', error: r.error.message });
      this.setData({ status: 'ready', fields: rows(r.data) });
    },

    onField(e: WechatMiniprogram.Input): void {
      const i = Number(e.currentTarget.dataset.index);
      this.setData({ [`fields[${i}].value`]: e.detail.value.trim(), actionError: '', saved: '' });
    },

    async onSave(): Promise<void> {
      if (this.data.saving) return;
      const settings = {} as IntegralSettings;
      for (const f of this.data.fields) {
        const n = Number(f.value);
        const { min, max } = INTEGRAL_SETTING_BOUNDS[f.key];
        if (!/^\d+$/.test(f.value) || n < min || n > max) {
          return this.setData({ actionError: `“${f.label}”要填 ${min} 到 ${max} 之间的整数。` });
        }
        settings[f.key] = n;
      }
      this.setData({ saving: true });
      const r = await integralCall('setSettings', { settings });
      if (!r.ok) return this.setData({ saving: false, actionError: r.error.message });
      this.setData({ saving: false, fields: rows(r.data), saved: '已保存，各站从现在起按新设置办理。' });
    },
  },
});
