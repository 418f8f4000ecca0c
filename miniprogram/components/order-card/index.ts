/**
 * One order in a list: title, status, category, place and time, big enough to tap anywhere; opens the
 * order's detail (and emits `open` with { id }). Takes the view the page computed (OrderCardView); a
 * card with `accept` carries a 接单 button that emits `accept` with { id } instead of opening.
 */
import { defineComponent } from '../../base/component';
import { pageUrl } from '../../routes';
import { openPage } from '../../services/navigate';
import type { AcceptDetail, OpenDetail, OrderCardView } from './type';

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

    onAccept() {
      const { id } = this.data.order;
      if (!id) return;
      const detail: AcceptDetail = { id };
      this.triggerEvent('accept', detail);
    },
  },
});
