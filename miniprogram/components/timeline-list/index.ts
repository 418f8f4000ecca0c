/**
 * An order's timeline: what happened, who did it, when (Beijing time) and any note, newest first. Takes
 * the views the page computed (EventView in packages/order/lib/view.ts), already in display order.
 */
Component({
  options: { addGlobalClass: true },
  properties: {
    events: { type: Array, value: [] },
  },
});
