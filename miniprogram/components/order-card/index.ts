/**
 * One order in a list: title, status, category, place and time, big enough to tap anywhere; opens the
 * order's detail. Takes the view the page computed (OrderCardView in packages/order/lib/view.ts).
 */
import { pageUrl } from '../../routes';
import { openPage } from '../../services/navigate';

Component({
  options: { addGlobalClass: true },
  properties: {
    order: { type: Object, value: {} },
  },
  methods: {
    onOpen() {
      const id = (this.data.order as { id?: string }).id;
      if (!id) return;
      this.triggerEvent('open', { id });
      void openPage(pageUrl('orderDetail', { id }));
    },
  },
});
