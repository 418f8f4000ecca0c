/**
 * 活动报名: activities near the volunteer (the ten-minute circle first), in their village, and their
 * own (signed up or checked in). Tapping one opens it, where they sign up.
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import type { ActivityListScope } from '../../../contract/activity';
import { activityCall } from '../../../services/activity';
import { locate } from '../../../services/location';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { activityCard, type ActivityCard } from '../lib/view';

type Tab = Extract<ActivityListScope, 'near' | 'area' | 'mine'>;

const EMPTY: Record<Tab, string> = {
  near: '附近三公里内暂时没有活动。',
  area: '本村（社区）暂时没有活动。',
  mine: '您还没有报名活动。',
};

definePage({
  data: {
    tabs: [
      { key: 'near', label: '附近' },
      { key: 'area', label: '本村' },
      { key: 'mine', label: '我的' },
    ],
    tab: 'near' as Tab,
    status: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    items: [] as ActivityCard[],
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const tab = (['near', 'area', 'mine'] as Tab[]).find((t) => t === query.tab) ?? 'near';
      void this.show(tab);
    },

    onPullDownRefresh() {
      void this.show(this.data.tab).then(() => wx.stopPullDownRefresh());
    },

    onTab(e: Tap<{ key: Tab }>) {
      void this.show(e.currentTarget.dataset.key);
    },

    async show(tab: Tab) {
      this.setData({ tab, status: 'loading', message: '' });
      let req: { scope: Tab; lat?: number; lng?: number } = { scope: tab };
      if (tab === 'near') {
        const where = await locate();
        if (!where.ok) {
          this.setData({ status: 'error', message: where.message });
          return;
        }
        req = { scope: tab, lat: where.lat, lng: where.lng };
      }
      const r = await activityCall('list', req);
      if (this.data.tab !== tab) return;
      if (!r.ok) this.setData({ status: 'error', message: r.error.message });
      else
        this.setData({
          status: 'ready',
          items: r.data.activities.map(activityCard),
          message: r.data.activities.length ? '' : EMPTY[tab],
        });
    },

    onOpen(e: Tap<{ id: string }>) {
      void openPage(pageUrl('activityDetail', { id: e.currentTarget.dataset.id }));
    },
  },
});
