/**
 * 任务大厅: open orders a volunteer may take, in their area and skills, nearest first (the ten-minute
 * service circle). Uses the phone's location when allowed; without it the function orders them as it
 * can, and the page says so. Tapping one opens its detail.
 */
import { locate, openLocationSetting, type LocationFailure } from '../../../services/location';
import { orderHall } from '../../../services/order';
import { defineListPage } from '../lib/list-page';
import { pagedData, pageOf } from '../lib/paged';
import { cardView, type OrderCardView } from '../lib/view';

type Located = 'pending' | 'yes' | 'no';

defineListPage({
  reloadOnShow: true,
  data: {
    ...pagedData<OrderCardView>(),
    empty: '附近暂时没有等人接的需求。过一会儿再来看看。',
    located: 'pending' as Located,
    locationMessage: '',
    locationReason: '' as LocationFailure | '',
    _where: null as { lat: number; lng: number } | null,
  },

  methods: {
    onLoad() {
      void this.start();
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
      return orderHall({ page, ...(where ? { lat: where.lat, lng: where.lng } : {}) }).then((r) =>
        pageOf(r, (d) => d.orders, cardView),
      );
    },

    onLocate() {
      void this.start();
    },

    async onSettings() {
      if (await openLocationSetting()) await this.start();
    },
  },
});
