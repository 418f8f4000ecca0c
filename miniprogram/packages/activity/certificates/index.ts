/**
 * 我的服务证明 (志愿服务记录证明): ask for one for a period, see those already issued with their
 * verification codes, open one as a PDF to keep or forward; anyone can check a code on the verify page.
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import type { Certificate } from '../../../contract/activity';
import { activityCall } from '../../../services/activity';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { shanghaiDay } from '../../../utils/format';
import { dayTime, hoursText, toast } from '../lib/view';
import { openPdf } from '../lib/document';

const today = () => shanghaiDay(Date.now());

function certView(c: Certificate) {
  return {
    code: c.code,
    period: `${dayTime(c.from).split(' ')[0]} 至 ${dayTime(new Date(Date.parse(c.to) - 1).toISOString()).split(' ')[0]}`,
    totals: `记录时长 ${hoursText(c.recordedMinutes)}，荣誉时长 ${hoursText(c.honourMinutes)}`,
    issued: `${c.stationName} · ${dayTime(c.issuedAt)} 开具`,
  };
}

definePage({
  data: {
    from: `${today().slice(0, 4)}-01-01`,
    to: today(),
    busy: false,
    /** The code whose PDF is being fetched, '' when none. */
    opening: '',
    message: '',
    items: [] as ReturnType<typeof certView>[],
  },

  methods: {
    onShow() {
      void this.load();
    },

    async load() {
      const r = await activityCall('certificates', {});
      if (r.ok)
        this.setData({
          items: r.data.certificates.map(certView),
          message: r.data.certificates.length ? '' : '还没有开过证明。',
        });
      else this.setData({ message: r.error.message });
    },

    onFrom(e: { detail: { value: string } }) {
      this.setData({ from: e.detail.value });
    },

    onTo(e: { detail: { value: string } }) {
      this.setData({ to: e.detail.value });
    },

    async onIssue() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      const r = await activityCall('certificate', { from: this.data.from, to: this.data.to });
      this.setData({ busy: false });
      if (!r.ok) {
        toast(r.error.message);
        return;
      }
      toast('证明已开具');
      await this.load();
    },

    /** The certificate as a PDF in WeChat's viewer, with its menu to forward or save it. */
    async onPdf(e: Tap<{ code: string }>) {
      const { code } = e.currentTarget.dataset;
      if (this.data.opening) return;
      this.setData({ opening: code });
      wx.showLoading({ title: '正在打开' });
      const r = await activityCall('certificatePdf', { code });
      const opened = r.ok ? await openPdf(r.data) : r;
      wx.hideLoading();
      this.setData({ opening: '' });
      if (!opened.ok) toast(opened.error.message);
    },

    onVerify(e: Tap<{ code: string }>) {
      void openPage(pageUrl('activityVerify', { code: e.currentTarget.dataset.code }));
    },
  },
});
