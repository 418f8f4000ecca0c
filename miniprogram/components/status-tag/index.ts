/**
 * An order's status as a coloured tag (待审核, 服务中, 已完成 …), and a red 已逾期 beside it when the
 * order is past its deadline. Labels come from STATUS_INFO in the contract unless the page gives one.
 */
import { defineComponent } from '../../base/component';
import { ORDER_STATUSES, STATUS_INFO, type OrderStatus } from '../../contract/order';

/** Colour families: waiting on staff, being worked on, waiting on the villager, done, stopped. */
const TONES: Record<OrderStatus, string> = {
  submitted: 'wait',
  open: 'wait',
  dispatched: 'work',
  accepted: 'work',
  fulfilled: 'act',
  closed: 'done',
  rejected: 'stop',
  cancelled: 'stop',
};

const LABELS = Object.fromEntries(ORDER_STATUSES.map((s) => [s, STATUS_INFO[s].label])) as Record<OrderStatus, string>;

defineComponent({
  properties: {
    status: { type: String, value: '' as OrderStatus | '' },
    /** The label for this reader when it differs from the contract's (待您接单 for the volunteer). */
    label: { type: String, value: '' },
    overdue: { type: Boolean, value: false },
  },
  data: { labels: LABELS, tones: TONES },
});
