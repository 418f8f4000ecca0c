/**
 * 我的服务时长: recorded hours (check-ins) and honour hours (added by the station with a reason) shown
 * apart, the star level and how far to the next, by month, and each record — corrections as records
 * of their own.
 */
import { definePage } from '../../../base/page';
import { CATEGORY_LABELS } from '../../../contract/domain';
import { activityCall } from '../../../services/activity';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { hoursText, recordView } from '../lib/view';

definePage({
  data: {
    status: 'loading',
    message: '',
    recorded: '',
    honour: '',
    stars: 0,
    starText: '',
    toNext: '',
    months: [] as { month: string; text: string }[],
    categories: [] as { key: string; text: string }[],
    records: [] as ReturnType<typeof recordView>[],
  },

  methods: {
    onShow() {
      void this.load();
    },

    async load() {
      const r = await activityCall('hours', {});
      if (!r.ok) {
        this.setData({ status: 'error', message: r.error.message });
        return;
      }
      const h = r.data;
      this.setData({
        status: 'ready',
        recorded: `${h.recordedHours}小时`,
        honour: `${h.honourHours}小时`,
        stars: h.stars.stars,
        starText: h.stars.label ?? '还没有星级',
        toNext: h.stars.toNext === null ? '已是最高星级' : `再服务 ${h.stars.toNext} 小时升一星`,
        months: h.byMonth.slice(0, 12).map((m) => ({ month: m.month, text: hoursText(m.minutes) })),
        categories: h.byCategory.map((c) => ({
          key: c.category,
          text: `${CATEGORY_LABELS[c.category]} ${hoursText(c.minutes)}`,
        })),
        records: h.records.map(recordView),
      });
    },

    onCertificates() {
      void openPage(pageUrl('activityCertificates'));
    },
  },
});
