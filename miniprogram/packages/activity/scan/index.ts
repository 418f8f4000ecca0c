/**
 * 扫码签到: the volunteer scans the code on the station head's phone — with the big button here
 * (wx.scanCode), or with WeChat's own scanner, which opens this page with the code's `scene`. A
 * practice point's poster code opens the point instead. Without signal the scan is kept with its time
 * and sent when the cloud answers again (on the next visit, or with 现在补交).
 */
import { definePage } from '../../../base/page';
import { locate } from '../../../services/location';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { pendingScans, sceneOf, scanCode, sendPending } from '../../../services/activity';

type Status = 'idle' | 'working' | 'done' | 'refused' | 'kept';

const TITLES: Record<string, string> = { in: '签到成功', out: '签退成功', already: '已经签到了' };

definePage({
  data: {
    status: 'idle' as Status,
    title: '',
    message: '',
    detail: '',
    pending: 0,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ pending: pendingScans().length });
      if (query.scene) void this.handle(sceneOf(query.scene));
    },

    onShow() {
      if (pendingScans().length > 0) void this.onSendPending();
    },

    onScan() {
      if (this.data.status === 'working') return;
      wx.scanCode({
        onlyFromCamera: true,
        scanType: ['wxCode', 'qrCode'],
        success: (res: { path?: string; result?: string }) => void this.handle(sceneOf(res.path || res.result)),
        fail: () => this.setData({ status: 'idle' }),
      });
    },

    async handle(scene: string) {
      if (scene.startsWith('p.')) {
        void openPage(pageUrl('activityPoint', { id: scene.slice(2) }));
        return;
      }
      this.setData({ status: 'working', title: '正在签到……', message: '', detail: '' });
      const where = await locate();
      const r = await scanCode(scene, where.ok ? { lat: where.lat, lng: where.lng } : undefined);
      if (!r.ok) {
        this.failed(r.error.message, r.kept);
      } else if (r.data.result === 'point') {
        void openPage(pageUrl('activityPoint', { id: r.data.pointId }));
        this.setData({ status: 'idle' });
      } else {
        this.setData({
          status: 'done',
          title: TITLES[r.data.result],
          message: r.data.message,
          detail: r.data.title,
        });
      }
    },

    failed(message: string, kept: boolean) {
      if (kept) {
        this.setData({
          status: 'kept',
          title: '没有信号，扫码已保存',
          message: '这次扫码已经存在手机上，有信号时会自动补交，不用重扫。',
          pending: pendingScans().length,
        });
      } else {
        this.setData({ status: 'refused', title: '没有签上', message });
      }
    },

    async onSendPending() {
      const { sent, refused } = await sendPending();
      const left = pendingScans().length;
      this.setData({ pending: left });
      if (sent.length > 0 || refused.length > 0) {
        const last = sent[sent.length - 1];
        this.setData({
          status: sent.length > 0 ? 'done' : 'refused',
          title: sent.length > 0 ? `补交成功 ${sent.length} 次` : '补交没有成功',
          message: last && last.result !== 'point' ? last.message : (refused[0]?.message ?? ''),
          detail: last && last.result !== 'point' ? last.title : '',
        });
      }
    },
  },
});
