/**
 * 活动详情: what, when, where, how many places; the volunteer signs up or cancels (before the cut-off)
 * and goes to scan; the station head in scope shows the code, opens the roll, or cancels the activity
 * with a reason (everyone signed up is told).
 */
import { definePage } from '../../../base/page';
import type { InputEvent } from '../../../base/events';
import type { Activity } from '../../../contract/activity';
import { AUDIENCE_LABELS } from '../../../contract/activity';
import { activityCall } from '../../../services/activity';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { activityCard, toast, type ActivityCard } from '../lib/view';

function view(a: Activity) {
  return {
    status: 'ready',
    card: activityCard(a),
    description: a.description,
    audience: AUDIENCE_LABELS[a.audience],
    cancelReason: a.cancelReason ?? '',
    signedUp: a.mine.signedUp,
    checkin:
      a.mine.checkin === 'in'
        ? '您已签到，结束时再扫一次签退。'
        : a.mine.checkin === 'out'
          ? '您已签退，服务时长已记下。'
          : '',
    canSignUp: a.status === 'open' && a.signupRequired && !a.mine.signedUp,
    open: a.status === 'open',
    manage: a.manage,
  };
}

definePage({
  data: {
    status: 'loading',
    message: '',
    card: null as ActivityCard | null,
    description: '',
    audience: '',
    cancelReason: '',
    signedUp: false,
    checkin: '',
    canSignUp: false,
    open: false,
    manage: false,
    reason: '',
    busy: false,
    _id: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ _id: query.id ?? '' });
    },

    onShow() {
      void this.load();
    },

    async load() {
      const r = await activityCall('get', { id: this.data._id });
      if (!r.ok) this.setData({ status: 'error', message: r.error.message });
      else this.setData(view(r.data));
    },

    async act(action: 'signup' | 'cancelSignup') {
      if (this.data.busy) return;
      this.setData({ busy: true });
      const r = await activityCall(action, { id: this.data._id });
      this.setData({ busy: false });
      if (!r.ok) {
        toast(r.error.message);
        return;
      }
      this.setData(view(r.data));
      toast(action === 'signup' ? '报名成功' : '已取消报名');
    },

    onSignup() {
      void this.act('signup');
    },

    onCancelSignup() {
      void this.act('cancelSignup');
    },

    onScan() {
      void openPage(pageUrl('activityScan'));
    },

    onCode() {
      void openPage(pageUrl('activityCode', { id: this.data._id }));
    },

    onRoll() {
      void openPage(pageUrl('activityRoll', { id: this.data._id }));
    },

    onReason(e: InputEvent) {
      this.setData({ reason: e.detail.value });
    },

    async onCancel() {
      if (this.data.busy) return;
      if (!this.data.reason.trim()) {
        toast('请先写上取消的原因');
        return;
      }
      this.setData({ busy: true });
      const r = await activityCall('cancel', { id: this.data._id, reason: this.data.reason.trim() });
      this.setData({ busy: false });
      if (!r.ok) toast(r.error.message);
      else this.setData(view(r.data));
    },
  },
});
