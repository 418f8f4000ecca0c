/**
 * 站点设置 for a station head: 自动派单 on or off (order.setAutoDispatch), the station's opening hours
 * and address as villagers see them (org.update), and the way to its practice points (实践点管理).
 */
import { definePage } from '../../../base/page';
import type { InputEvent } from '../../../base/events';
import { noFieldError, showAtField } from '../../../base/form';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { getOrg, updateOrg } from '../../../services/org';
import { setAutoDispatch } from '../../../services/order';
import { currentMe, loadMe } from '../../../services/session';
import { shortOrgName } from '../../../utils/format';

type Status = 'loading' | 'ready' | 'error' | 'none';

const HOURS_MAX = 60;
const ADDRESS_MAX = 80;

definePage({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    stationName: '',
    autoDispatch: false,
    switching: false,
    hours: '',
    address: '',
    hoursMax: HOURS_MAX,
    addressMax: ADDRESS_MAX,
    saving: false,
    saved: '',
    error: '',
    errorField: '',
    fieldError: '',
    _stationId: '',
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },

    async load() {
      const me = currentMe() ?? (await loadMe().catch(() => undefined));
      const stationId = me?.roles.find((r) => r.role === 'stationHead')?.orgId;
      if (!stationId) {
        this.setData({ status: 'none' });
        return;
      }
      const r = await getOrg({ id: stationId });
      if (!r.ok) {
        this.setData({ status: 'error', errorMessage: r.error.message });
        return;
      }
      this.setData({
        status: 'ready',
        _stationId: stationId,
        stationName: shortOrgName(r.data.name),
        autoDispatch: !!r.data.autoDispatch,
        hours: r.data.hours ?? '',
        address: r.data.address ?? '',
      });
    },

    async onToggleAuto() {
      if (this.data.switching) return;
      const on = !this.data.autoDispatch;
      this.setData({ switching: true, error: '' });
      const r = await setAutoDispatch(this.data._stationId, on);
      if (!r.ok) {
        this.setData({ switching: false, error: r.error.message });
        return;
      }
      this.setData({ switching: false, autoDispatch: r.data.on });
    },

    onHours(e: InputEvent) {
      this.setData({ hours: e.detail.value.slice(0, HOURS_MAX), saved: '' });
      if (this.data.errorField === 'hours') this.setData(noFieldError);
    },

    onAddress(e: InputEvent) {
      this.setData({ address: e.detail.value.slice(0, ADDRESS_MAX), saved: '' });
      if (this.data.errorField === 'address') this.setData(noFieldError);
    },

    async onSave() {
      if (this.data.saving) return;
      const hours = this.data.hours.trim();
      const address = this.data.address.trim();
      if (hours && [...hours].length < 2)
        return showAtField(this, 'hours', '开放时间请写清楚，比如：每天 8:30-17:00。');
      if (address && [...address].length < 2) return showAtField(this, 'address', '地址请写清楚一点。');
      this.setData({ saving: true, error: '', saved: '', ...noFieldError });
      // Emptied means "not set": saved as none, not as an empty text.
      const r = await updateOrg({ id: this.data._stationId, hours: hours || null, address: address || null });
      if (!r.ok) {
        this.setData({ saving: false, error: r.error.message });
        return;
      }
      this.setData({ saving: false, saved: '已保存。', hours: r.data.hours ?? '', address: r.data.address ?? '' });
    },

    onPoints() {
      void openPage(pageUrl('adminPoints', { stationId: this.data._stationId }));
    },
  },
});
