/**
 * 任务大厅: open orders a volunteer may take, in their area and skills, nearest first (the ten-minute
 * service circle). Uses the phone's location when allowed; without it the function orders them as it
 * can, and the page says so. Tapping one opens its detail. Two rows of filters narrow it — one of the
 * volunteer's services, and 1/3/5 公里 or 不限远近 — and are kept on the phone for the next visit.
 */
import { locate, openLocationSetting, type LocationFailure } from '../../../services/location';
import { orderHall } from '../../../services/order';
import { currentMe, loadMe } from '../../../services/session';
import type { Tap } from '../../../base/events';
import { HALL_RADII, type HallRadius } from '../../../contract/api';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../../contract/domain';
import { defineListPage } from '../lib/list-page';
import { pagedData, pageOf } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';

type Located = 'pending' | 'yes' | 'no';

/** Where the chosen filters are kept between visits. */
const FILTERS_KEY = 'order.hallFilters';
const EMPTY = '附近暂时没有等人接的需求。过一会儿再来看看。';
const EMPTY_FILTERED = '按这样选没有找到，可以把远近放宽一些，或者选“全部服务”“不限远近”。';

interface Filters {
  category: Category | '';
  withinM: HallRadius | 0;
}

function keptFilters(): Filters {
  const kept = wx.getStorageSync(FILTERS_KEY) as Partial<Filters> | '';
  const withinM = kept && HALL_RADII.includes(kept.withinM as HallRadius) ? (kept.withinM as HallRadius) : 0;
  const category = kept && kept.category && CATEGORY_LABELS[kept.category] ? kept.category : '';
  return { category, withinM };
}

const DISTANCES = [
  ...HALL_RADII.map((m) => ({ value: m, label: `${m / 1000}公里内` })),
  { value: 0, label: '不限远近' },
];

defineListPage({
  reloadOnShow: true,
  data: {
    ...pagedData<OrderCardView>(),
    empty: EMPTY,
    categories: [] as { key: Category | ''; label: string }[],
    distances: DISTANCES,
    category: '' as Category | '',
    withinM: 0 as HallRadius | 0,
    located: 'pending' as Located,
    locationMessage: '',
    locationReason: '' as LocationFailure | '',
    _where: null as { lat: number; lng: number } | null,
  },

  methods: {
    onLoad() {
      void this.setup();
    },

    /** The filters (the volunteer's own services), then the list. */
    async setup() {
      const me = currentMe() ?? (await loadMe().catch(() => undefined));
      const skills = me?.volunteer?.skills ?? [];
      const kept = keptFilters();
      this.setData({
        ...kept,
        // A service the volunteer no longer gives is not kept.
        category: kept.category && skills.includes(kept.category) ? kept.category : '',
        categories: [
          { key: '', label: '全部服务' },
          ...CATEGORIES.filter((c) => skills.includes(c)).map((key) => ({ key, label: CATEGORY_LABELS[key] })),
        ],
      });
      this.showEmpty();
      await this.start();
    },

    showEmpty() {
      const filtered = !!this.data.category || this.data.withinM > 0;
      this.setData({ empty: filtered ? EMPTY_FILTERED : EMPTY });
    },

    /** A filter chosen: kept for the next visit, and the list loaded again. */
    choose(f: Partial<Filters>) {
      this.setData(f);
      wx.setStorageSync(FILTERS_KEY, { category: this.data.category, withinM: this.data.withinM });
      this.showEmpty();
      void this.reload();
    },

    onCategory(e: Tap<{ key: Category | '' }>) {
      const category = e.currentTarget.dataset.key;
      if (category !== this.data.category) this.choose({ category });
    },

    onDistance(e: Tap<{ value: number }>) {
      const withinM = Number(e.currentTarget.dataset.value) as HallRadius | 0;
      if (withinM !== this.data.withinM) this.choose({ withinM });
    },

    onPullDownRefresh() {
      // Pulling down also asks for the location again.
      void this.start().then(() => wx.stopPullDownRefresh());
    },

    async start() {
      const found = await locate();
      if (found.ok) {
        this.setData({
          _where: { lat: found.lat, lng: found.lng },
          located: 'yes',
          locationMessage: '',
          locationReason: '',
        });
      } else {
        this.setData({ _where: null, located: 'no', locationMessage: found.message, locationReason: found.reason });
      }
      await this.reload();
    },

    fetch(page: number) {
      const where = this.data._where;
      const { category, withinM } = this.data;
      return orderHall({
        page,
        ...(where ? { lat: where.lat, lng: where.lng } : {}),
        ...(category ? { category } : {}),
        ...(withinM ? { withinM } : {}),
      }).then((r) => pageOf(r, (d) => d.orders, cardView));
    },

    onLocate() {
      void this.start();
    },

    async onSettings() {
      if (await openLocationSetting()) await this.start();
    },
  },
});
