/**
 * 签到名单 (station head), live: how many signed up, are in, are out, wait for a decision; each person
 * with their times and flags. A flagged check-in (too far from the point, or checked out by the timer)
 * is confirmed or not counted here — never silently. Refreshed every 10 seconds while shown.
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import { activityCall } from '../../../services/activity';
import { rollView, toast, type RollView } from '../lib/view';

definePage({
  data: {
    counts: { signedUp: 0, in: 0, out: 0, flagged: 0 },
    entries: [] as RollView[],
    message: '',
    busy: false,
    _id: '',
    _timer: 0 as unknown as ReturnType<typeof setInterval> | 0,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ _id: query.id ?? '' });
    },

    onShow() {
      void this.load();
      this.setData({ _timer: setInterval(() => void this.load(), 10_000) });
    },

    onHide() {
      if (this.data._timer) clearInterval(this.data._timer);
    },

    onUnload() {
      if (this.data._timer) clearInterval(this.data._timer);
    },

    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    async load() {
      const r = await activityCall('roster', { id: this.data._id });
      if (!r.ok) this.setData({ message: r.error.message });
      else
        this.setData({
          counts: r.data.counts,
          entries: r.data.entries.map(rollView),
          message: r.data.entries.length ? '' : '还没有人签到。',
        });
    },

    async decide(id: string, accept: boolean) {
      if (this.data.busy) return;
      this.setData({ busy: true });
      const r = await activityCall('review', { checkinId: id, accept });
      this.setData({ busy: false });
      if (!r.ok) toast(r.error.message);
      else toast(accept ? '已确认，时长记入' : '已不予认可');
      await this.load();
    },

    onConfirm(e: Tap<{ id: string }>) {
      void this.decide(e.currentTarget.dataset.id, true);
    },

    onReject(e: Tap<{ id: string }>) {
      void this.decide(e.currentTarget.dataset.id, false);
    },
  },
});
