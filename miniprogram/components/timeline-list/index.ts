/**
 * An order's timeline: what happened, who did it, when (Beijing time) and any note, newest first. Takes
 * the views the page computed (EventView), already in display order.
 */
import { defineComponent } from '../../base/component';
import type { EventView } from './type';

defineComponent({
  properties: {
    events: { type: Array, value: [] as EventView[] },
  },
});
