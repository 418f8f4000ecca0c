/**
 * What the order pages show, computed from the contract's types: only the fields a view renders, in
 * plain Chinese, with times in Asia/Shanghai whatever the phone's time zone.
 */
import type { Message, OrderEvent, OrderPhoto, OrderSummary } from '../../../contract/api';
import { CATEGORY_LABELS, LEVEL_LABELS } from '../../../contract/domain';
import { ORDER_EVENTS, ORDER_KIND_INFO, STATUS_INFO, type OrderStatus } from '../../../contract/order';
import { SHANGHAI_OFFSET_MS } from '../../../contract/time';

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `5月3日 14:05` (with the year when it is not this year), in Beijing time. */
export function formatTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  const thisYear = new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
  const day = `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
  const year = d.getUTCFullYear() === thisYear ? '' : `${d.getUTCFullYear()}年`;
  return `${year}${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `350米`, `1.2公里`. */
export function formatDistance(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '';
  if (m < 1000) return `${Math.max(0, Math.round(m))}米`;
  return `${(m / 1000).toFixed(m < 10000 ? 1 : 0)}公里`;
}

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
}

export function cardView(o: OrderSummary): OrderCardView {
  return {
    id: o.id,
    title: o.title,
    kind: ORDER_KIND_INFO[o.kind]?.label ?? '',
    category: CATEGORY_LABELS[o.category] ?? '',
    status: o.status,
    overdue: o.overdue,
    place: o.pointName ? `${o.stationName} · ${o.pointName}` : o.stationName,
    level: o.level && o.level !== 'station' ? `已上报到${LEVEL_LABELS[o.level]}` : '',
    time: formatTime(o.createdAt),
    distance: o.distanceM === undefined ? '' : `距您${formatDistance(o.distanceM)}`,
  };
}

export interface EventView {
  key: string;
  title: string;
  who: string;
  when: string;
  note: string;
  status: OrderStatus;
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

export interface PhotoView {
  key: string;
  src: string;
  pending: boolean;
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
