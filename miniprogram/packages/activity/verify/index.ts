/**
 * 验证服务证明: anyone types (or opens with) a certificate's code and sees what it certifies — who,
 * which period, each service, the totals, who issued it — and whether it still stands. The PDF's QR
 * code holds the code: 扫证明上的二维码 reads it with the camera.
 */
import { definePage } from '../../../base/page';
import type { InputEvent } from '../../../base/events';
import { activityCall } from '../../../services/activity';
import { dayTime, hoursText } from '../lib/view';

definePage({
  data: {
    code: '',
    status: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    message: '',
    name: '',
    maskedId: '',
    totals: '',
    issued: '',
    stands: false,
    note: '',
    services: [] as { key: string; text: string }[],
    /** How many times a code was asked about: an answer to an earlier question than the last is dropped. */
    asked: 0,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.code) {
        this.setData({ code: query.code });
        void this.onVerify();
      }
    },

    onCode(e: InputEvent) {
      this.setData({ code: e.detail.value.trim().toUpperCase() });
    },

    onScan() {
      wx.scanCode({
        onlyFromCamera: false,
        success: (res) => {
          const code = /[A-HJ-NP-Z2-9]{12}/.exec(String(res.result ?? '').toUpperCase())?.[0];
          if (!code) {
            this.setData({ status: 'error', message: '这个二维码不是服务证明的验证码。' });
            return;
          }
          this.setData({ code });
          void this.onVerify();
        },
      });
    },

    async onVerify() {
      const asked = this.data.asked + 1;
      this.setData({ status: 'loading', message: '', asked });
      const r = await activityCall('verifyCertificate', { code: this.data.code });
      // A slow answer to an earlier code must not overwrite the answer to the code asked last.
      if (this.data.asked !== asked) return;
      if (!r.ok) {
        this.setData({ status: 'error', message: r.error.message });
        return;
      }
      const c = r.data;
      this.setData({
        status: 'ready',
        name: c.name,
        maskedId: c.maskedId,
        totals: `记录时长 ${hoursText(c.recordedMinutes)}，荣誉时长 ${hoursText(c.honourMinutes)}`,
        issued: `${c.stationName} ${dayTime(c.issuedAt)} 开具`,
        stands: c.stands,
        note: c.note,
        services: c.services.slice(0, 50).map((s, i) => ({
          key: String(i),
          text: `${dayTime(s.at)} ${s.title}（${s.place}）${hoursText(s.minutes)}${s.kind === 'honour' ? '，荣誉' : ''}`,
        })),
      });
    },
  },
});
