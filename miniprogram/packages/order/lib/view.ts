/**
 * What the order pages show, computed from the contract's types: only the fields a view renders, in
 * plain Chinese, with times and distances as utils/format.ts writes them.
 */
import type { Message, OrderEvent, OrderPhoto, OrderSummary } from '../../../contract/api';
import { CATEGORY_LABELS, LEVEL_LABELS } from '../../../contract/domain';
import { kindLabel, ORDER_EVENTS, STATUS_INFO } from '../../../contract/order';
import { distanceFrom, formatTime } from '../../../utils/format';
import type { OrderCardView } from '../../../components/order-card/type';
import type { PhotoView } from '../../../components/photo-gallery/type';
import type { EventView } from '../../../components/timeline-list/type';

// The components' own types (their type.ts), re-exported for the pages that compute them here.
export type { EventView, OrderCardView, PhotoView };

export function cardView(o: OrderSummary): OrderCardView {
  return {
    id: o.id,
    title: o.title,
    kind: kindLabel(o.kind),
    category: CATEGORY_LABELS[o.category] ?? '',
    status: o.status,
    overdue: o.overdue,
    place: o.pointName ? `${o.stationName} · ${o.pointName}` : o.stationName,
    level: o.level && o.level !== 'station' ? `已上报到${LEVEL_LABELS[o.level]}` : '',
    time: formatTime(o.createdAt),
    distance: distanceFrom('距您', o.distanceM),
    who: o.requesterName ? `提出人：${o.requesterName}` : '',
    excerpt: o.excerpt ?? '',
  };
}

export function eventTitle(e: OrderEvent): string {
  if (e.type === 'reviewed' && e.to === 'rejected') return ORDER_EVENTS.rejected.label;
  // A type this version does not know yet (a newer function) is named by the status it led to.
  const info = (ORDER_EVENTS as Record<string, { label: string } | undefined>)[e.type];
  return info?.label ?? STATUS_INFO[e.to]?.label ?? e.type;
}

export function eventView(e: OrderEvent, index: number): EventView {
  return {
    key: `${index}-${e.at}`,
    title: eventTitle(e),
    who: e.by === 'system' ? '系统' : e.byName || '',
    when: formatTime(e.at),
    note: e.note ?? '',
    status: e.to,
  };
}

/** Passed photos to show, pending ones as 图片审核中; rejected ones are not shown at all. */
export function photoViews(photos: OrderPhoto[] | null | undefined): PhotoView[] {
  return (photos ?? [])
    .filter((p) => p.check === 'pass' || p.check === 'pending')
    .map((p, i) => ({
      key: `${i}-${p.fileId}`,
      src: p.check === 'pass' ? p.url || p.fileId : '',
      pending: p.check === 'pending',
    }));
}

export interface MessageView {
  id: string;
  title: string;
  body: string;
  orderId: string;
  read: boolean;
  time: string;
}

export function messageView(m: Message): MessageView {
  return {
    id: m.id,
    title: m.title,
    body: m.body,
    orderId: m.orderId ?? '',
    read: m.read,
    time: formatTime(m.createdAt),
  };
}
