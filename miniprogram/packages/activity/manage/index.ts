/**
 * 活动与签到 (station head): the activities they organise, and a new one at one of their station's
 * practice points — title, service, day and time, places, whether sign-up is needed, who it is for.
 */
import { definePage } from '../../../base/page';
import type { InputEvent, Tap } from '../../../base/events';
import type { Audience } from '../../../contract/activity';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../../contract/domain';
import { activityCall, newRequestId } from '../../../services/activity';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';
import { tree } from '../../../services/org';
import { stationOfHead } from '../lib/me';
import { shanghaiDay } from '../../../utils/format';
import { activityCard, toast, type ActivityCard } from '../lib/view';

const day = (offsetDays: number) => shanghaiDay(Date.now() + offsetDays * 86_400_000);

definePage({
  data: {
    items: [] as ActivityCard[],
    message: '',
    points: [] as { id: string; name: string }[],
    pointIndex: 0,
    categories: CATEGORIES.map((c) => CATEGORY_LABELS[c]),
    categoryIndex: 7,
    title: '',
    date: day(1),
    start: '09:00',
    end: '11:00',
    capacity: '20',
    signupRequired: true,
    everyone: false,
    busy: false,
    _requestId: newRequestId(),
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      void this.loadPoints(query.pointId);
    },

    onShow() {
      void this.loadList();
    },

    onPullDownRefresh() {
      void this.loadList().then(() => wx.stopPullDownRefresh());
    },

    async loadList() {
      const r = await activityCall('list', { scope: 'managed' });
      if (!r.ok) this.setData({ message: r.error.message });
      else
        this.setData({
          items: r.data.activities.map(activityCard),
          message: r.data.activities.length ? '' : '还没有办过活动。',
        });
    },

    async loadPoints(pointId?: string) {
      const station = await stationOfHead();
      if (!station) {
        if (pointId) this.setData({ points: [{ id: pointId, name: '这个实践点' }] });
        return;
      }
      const r = await tree({ id: station, pageSize: 50 });
      if (!r.ok) return;
      const points = (r.data.children ?? []).map((c) => ({ id: c.id, name: c.name }));
      const index = Math.max(
        0,
        points.findIndex((p) => p.id === pointId),
      );
      this.setData({ points: [...points, { id: station, name: `${r.data.name}（站里）` }], pointIndex: index });
    },

    onField(e: InputEvent & Tap<{ field: string }>) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value });
    },

    onPick(e: { detail: { value: string | number }; currentTarget: { dataset: { field: string } } }) {
      const v = e.detail.value;
      this.setData({ [e.currentTarget.dataset.field]: typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v });
    },

    onSwitch(e: { detail: { value: boolean }; currentTarget: { dataset: { field: string } } }) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value });
    },

    async onCreate() {
      const d = this.data;
      const point = d.points[d.pointIndex];
      if (d.busy) return;
      if (!point || !d.title.trim()) {
        toast('请选好地点，写上活动名称');
        return;
      }
      this.setData({ busy: true });
      const r = await activityCall('create', {
        pointId: point.id,
        title: d.title.trim(),
        category: CATEGORIES[d.categoryIndex] as Category,
        startAt: `${d.date}T${d.start}:00+08:00`,
        endAt: `${d.date}T${d.end}:00+08:00`,
        capacity: Math.max(1, Number(d.capacity) || 1),
        signupRequired: d.signupRequired,
        audience: (d.everyone ? 'all' : 'volunteers') as Audience,
        requestId: d._requestId,
      });
      this.setData({ busy: false });
      if (!r.ok) {
        toast(r.error.message);
        return;
      }
      this.setData({ title: '', _requestId: newRequestId() });
      toast('活动已发布');
      void openPage(pageUrl('activityDetail', { id: r.data.id }));
    },

    onOpen(e: Tap<{ id: string }>) {
      void openPage(pageUrl('activityDetail', { id: e.currentTarget.dataset.id }));
    },

    onHonour() {
      void openPage(pageUrl('activityHonour'));
    },
  },
});
