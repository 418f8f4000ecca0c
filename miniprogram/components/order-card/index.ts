/**
 * One order in a list: title, status, category, place and time, big enough to tap anywhere; opens the
 * order's detail (and emits `open` with { id }). Takes the view the page computed (OrderCardView).
 */
import { defineComponent } from '../../base/component';
import { pageUrl } from '../../routes';
import { openPage } from '../../services/navigate';
import type { OpenDetail, OrderCardView } from './type';

defineComponent({
  properties: {
    order: { type: Object, value: {} as OrderCardView },
  },
  methods: {
    onOpen() {
      const { id } = this.data.order;
      if (!id) return;
      const detail: OpenDetail = { id };
      this.triggerEvent('open', detail);
      void openPage(pageUrl('orderDetail', { id }));
    },
  },
});
