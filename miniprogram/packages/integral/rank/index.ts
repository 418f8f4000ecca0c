/** 红榜: the households of the village with the most points for good conduct, this month or this year. */
import { definePage } from '../../../base/page';
import { integralCall } from '../../../services/integral';

type Tab = 'month' | 'year';

definePage({
  data: {
    tab: 'month' as Tab,
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    rows: [] as { householdId: string; place: number; name: string; points: number }[],
    /** The month the cloud says it is (its clock, not the phone's), from the first answer. */
    _month: '',
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async load() {
      const year = this.data.tab === 'year' && this.data._month ? { period: this.data._month.slice(0, 4) } : {};
      const r = await integralCall('rank', year);
      if (!r.ok) return this.setData({ status: 'error', error: r.error.message });
      this.setData({
        status: 'ready',
        _month: this.data._month || r.data.period,
        rows: r.data.rows.map((x, i) => ({
          householdId: x.householdId,
          place: i + 1,
          name: `${x.headName}家`,
          points: x.points,
        })),
      });
    },
    onTab(e: WechatMiniprogram.TouchEvent) {
      this.setData({ tab: e.currentTarget.dataset.tab === 'year' ? 'year' : 'month', status: 'loading' });
      void this.load();
    },
  },
});
