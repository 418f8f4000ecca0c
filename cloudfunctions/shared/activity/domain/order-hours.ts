/**
 * Service hours from orders (issue 8): a volunteer who fulfils an order states the time spent; it counts
 * as recorded hours once the requester rates it or it closes, and a reopening takes it back by a
 * correction (never an edit). Each record's key names the order and the fulfilment it came from, so
 * the hours collection's unique index keeps it to one. Pure.
 */
import type { Category } from '../../../../typings/domain';
import type { HoursDoc } from './model';

export interface OrderService {
  orderId: string;
  /** The fulfilment the time was stated for (a reopened order is fulfilled anew). */
  fulfilledAt: Date;
  openid: string;
  minutes: number;
  title: string;
  category: Category;
  placeName: string;
  path: string[];
}

const keyOf = (s: Pick<OrderService, 'orderId' | 'fulfilledAt'>) =>
  `order:${s.orderId}:${new Date(s.fulfilledAt).getTime()}`;

/** The record counted when the order is rated or closes. */
export function orderHours(s: OrderService, now: Date): HoursDoc {
  const key = keyOf(s);
  return {
    _id: key.replace(/:/g, '-'),
    requestKey: key,
    openid: s.openid,
    kind: 'recorded',
    source: 'order',
    minutes: s.minutes,
    title: s.title,
    category: s.category,
    placeName: s.placeName,
    path: s.path,
    at: new Date(s.fulfilledAt),
    activityId: null,
    reason: null,
    by: null,
    correctsId: null,
    createdAt: now,
  };
}

/** The correction that takes the record back when the order is reopened (not really fulfilled). */
export function orderHoursReversed(s: OrderService, reason: string, by: string, now: Date): HoursDoc {
  const counted = orderHours(s, now);
  return {
    ...counted,
    _id: `${counted._id}-reopened`,
    requestKey: `${counted.requestKey}:reopened`,
    source: 'correction',
    minutes: -s.minutes,
    reason,
    by,
    correctsId: counted._id,
  };
}
