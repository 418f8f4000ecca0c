/**
 * 签到码 (station head), full screen: the signed code of the current 30-second slot, fetched again as
 * each one runs out, with a countdown. The screen is kept on and at full brightness while it shows, and
 * the brightness given back when it closes. Volunteers scan it with the 扫码签到 page or WeChat's own
 * scanner.
 */
import { definePage } from '../../../base/page';
import { activityCall } from '../../../services/activity';
import { goBack } from '../../../services/navigate';

definePage({
  data: {
    title: '',
    image: '',
    scene: '',
    seconds: 0,
    message: '正在生成签到码……',
    _id: '',
    _validUntil: 0,
    _tick: 0 as unknown as ReturnType<typeof setInterval> | 0,
    _brightness: -1,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ _id: query.id ?? '' });
      void activityCall('get', { id: query.id ?? '' }).then((r) => r.ok && this.setData({ title: r.data.title }));
    },

    onShow() {
      wx.setKeepScreenOn({ keepScreenOn: true });
      wx.getScreenBrightness({
        success: (r: { value: number }) => this.setData({ _brightness: r.value }),
        complete: () => wx.setScreenBrightness({ value: 1 }),
      });
      void this.refresh();
      this.setData({ _tick: setInterval(() => this.tick(), 1000) });
    },

    onHide() {
      this.stop();
    },

    onUnload() {
      this.stop();
    },

    stop() {
      if (this.data._tick) clearInterval(this.data._tick);
      this.setData({ _tick: 0 });
      wx.setKeepScreenOn({ keepScreenOn: false });
      if (this.data._brightness >= 0) wx.setScreenBrightness({ value: this.data._brightness });
    },

    async refresh() {
      const r = await activityCall('code', { id: this.data._id, image: true });
      if (!r.ok) {
        this.setData({ message: r.error.message, image: '', _validUntil: Date.now() + 5000 });
        return;
      }
      // Counted on the phone's own clock from the time left by the cloud's: a phone set wrong still counts right.
      const until = Date.now() + Math.max(1000, Date.parse(r.data.validUntil) - Date.parse(r.data.now));
      this.setData({
        image: r.data.image ?? '',
        scene: r.data.scene,
        message: '',
        _validUntil: until,
        seconds: Math.max(0, Math.ceil((until - Date.now()) / 1000)),
      });
    },

    tick() {
      const left = Math.ceil((this.data._validUntil - Date.now()) / 1000);
      if (left <= 0) void this.refresh();
      else if (left !== this.data.seconds) this.setData({ seconds: left });
    },

    onClose() {
      goBack('home');
    },
  },
});
