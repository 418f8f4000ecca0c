/** One event of an order's timeline as the list shows it (eventView in packages/order/lib/view.ts). */
import type { OrderStatus } from '../../contract/order';

export interface EventView {
  key: string;
  title: string;
  who: string;
  /** When, in Beijing time. */
  when: string;
  note: string;
  status: OrderStatus;
}
