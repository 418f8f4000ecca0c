/** What an order card shows, computed by the page (cardView in packages/order/lib/view.ts). */
import type { OrderStatus } from '../../contract/order';

export interface OrderCardView {
  id: string;
  title: string;
  kind: string;
  category: string;
  status: OrderStatus;
  overdue: boolean;
  place: string;
  /** 已上报到实践所 when the order has climbed above its station. */
  level: string;
  time: string;
  distance: string;
  /** 提出人：赵桂英 and the start of what they wrote: on the staff's lists, to decide from the card. */
  who?: string;
  excerpt?: string;
  /** The tag's text when it differs from the contract's label (待您接单 on 我的任务). */
  label?: string;
  /** A 接单 button on the card: the order waits for this volunteer to accept it. */
  accept?: boolean;
}

/** The `accept` event's detail. */
export interface AcceptDetail {
  id: string;
}

/** The `open` event's detail. */
export interface OpenDetail {
  id: string;
}
