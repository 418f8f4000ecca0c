/**
 * A practice point's page, opened from its poster (scene `p.<id>`) or a scan: its name, station, hours
 * and address, what is on there, and the button to post a wish at this point. A poster code never
 * checks anyone in.
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import { POINT_KIND_LABELS } from '../../../contract/domain';
import { activityCall, sceneOf } from '../../../services/activity';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { getOrg } from '../../../services/org';
import { activityCard, type ActivityCard } from '../lib/view';

definePage({
  data: {
    status: 'loading',
    message: '',
    name: '',
    kind: '',
    station: '',
    address: '',
    hours: '',
    items: [] as ActivityCard[],
    _id: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const fromScene = sceneOf(query.scene);
      const id = query.id ?? (fromScene.startsWith('p.') ? fromScene.slice(2) : '');
      this.setData({ _id: id });
      void this.load();
    },

    async load() {
      const [org, list] = await Promise.all([
        getOrg({ id: this.data._id }),
        activityCall('list', { scope: 'point', pointId: this.data._id }),
      ]);
      if (!org.ok) {
        this.setData({ status: 'error', message: org.error.message });
        return;
      }
      const p = org.data;
      this.setData({
        status: 'ready',
        name: p.name,
        kind: p.kind ? POINT_KIND_LABELS[p.kind] : '',
        station: p.path.filter((n) => n.id !== p.id).pop()?.name ?? '',
        address: p.address ?? '',
        hours: p.hours ?? '',
        items: list.ok ? list.data.activities.map(activityCard) : [],
      });
    },

    onWish() {
      void openPage(pageUrl('orderCreate', { pointId: this.data._id }));
    },

    onOpen(e: Tap<{ id: string }>) {
      void openPage(pageUrl('activityDetail', { id: e.currentTarget.dataset.id }));
    },
  },
});
