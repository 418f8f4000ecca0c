/** An order as stored, and how it is shown to whom. Plain data and pure functions, no SDK. */
import type { Order, OrderAction, OrderEvent, OrderPhoto, OrderSummary } from '../../../../typings/api';
import type { Category } from '../../../../typings/domain';
import type { OrderKind, OrderLevel, OrderStatus } from '../../../../typings/order';
import type { HeldRole } from '../../auth/domain/guard';
import { covers } from '../../auth/domain/guard';
import type { GeoPoint } from '../../org/domain/geo';
import { DISPATCHER_ROLES } from '../../../../typings/domain';
import { maskPhone } from '../../../../typings/format';

export interface PhotoDoc extends OrderPhoto {
  traceId: string | null;
  /** WeChat's verdict once its push arrives (the mediacheck function records it). */
  verdict?: { suggest: string; label: number | string | null; at: Date };
}

export interface EventDoc {
  from: OrderStatus | null;
  to: OrderStatus;
  type: string;
  by: string;
  byName: string;
  at: Date;
  note?: string;
  /** The stars of a rating (rated, autoClosed): what the figures count, kept with the event. */
  stars?: number;
}

export interface OrderDoc {
  _id: string;
  /** `${openid}:${requestId}`: a unique index makes a retried create one order. */
  requestKey: string;
  kind: OrderKind;
  category: Category;
  title: string;
  content: string;
  photos: PhotoDoc[];
  pointId: string | null;
  pointName: string | null;
  lat: number | null;
  lng: number | null;
  /** The same place as GeoJSON for the `geo` 2dsphere index (the hall, matching); null without a place. */
  geo: GeoPoint | null;
  stationId: string;
  stationName: string;
  /** The station's path (center, institute, station): whose scope covers the order. */
  path: string[];
  /** The level now responsible, and its node (the station, its institute, or the center). */
  level: OrderLevel;
  ownerOrgId: string;
  status: OrderStatus;
  overdue: boolean;
  requester: { openid: string; name: string | null; householdId: string | null };
  contact: { phone: string | null; address: string | null } | null;
  assignee: { openid: string; name: string } | null;
  /** Volunteers who declined it or let a dispatch lapse: not offered it again. */
  passedOver: string[];
  /** The deadline of the current stage at the current level. */
  dueAt: Date | null;
  /** A dispatched volunteer must accept by then. */
  acceptBy: Date | null;
  /** A fulfilled order not rated by then closes automatically. */
  rateBy: Date | null;
  fulfilledAt: Date | null;
  /** `minutes`: the time the volunteer stated (absent on orders fulfilled before it was asked). */
  fulfilment: { note: string; photos: PhotoDoc[]; at: Date; minutes?: number | null } | null;
  rating: { stars: number; comment: string | null; auto: boolean; at: Date } | null;
  events: EventDoc[];
  /** The last 催办 (order.urge): when, by whom, and the request that made it (a retry finds it here). */
  urge?: { at: Date; by: string; requestId: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who is looking at an order, and in what capacity. */
export interface Viewer {
  openid: string;
  roles: readonly HeldRole[];
}

export const isRequester = (o: Pick<OrderDoc, 'requester'>, v: Pick<Viewer, 'openid'>) =>
  o.requester.openid === v.openid;
export const isAssignee = (o: Pick<OrderDoc, 'assignee'>, v: Viewer) => o.assignee?.openid === v.openid;
/** Station heads and above whose scope covers the order's station. */
export const isDispatcher = (o: Pick<OrderDoc, 'path'>, v: Viewer) =>
  v.roles.some((r) => DISPATCHER_ROLES.includes(r.role) && covers(r, o.path));
/** A volunteer serving a station within the order's current scope (for claiming from the hall). */
export const servesScope = (o: Pick<OrderDoc, 'ownerOrgId'>, volunteerAreas: readonly string[]) =>
  volunteerAreas.includes(o.ownerOrgId);

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

const visiblePhotos = (photos: PhotoDoc[], v: Viewer, o: OrderDoc): OrderPhoto[] =>
  photos
    // Pending photos show to the people on the order (to see their upload); others see checked ones only.
    .filter(
      (p) =>
        p.check === 'pass' || (p.check === 'pending' && (isRequester(o, v) || isAssignee(o, v) || isDispatcher(o, v))),
    )
    .map(({ fileId, check }) => ({ fileId, check }));

export function toSummary(o: OrderDoc, distanceM?: number): OrderSummary {
  return {
    id: o._id,
    kind: o.kind,
    category: o.category,
    title: o.title,
    status: o.status,
    level: o.level,
    overdue: o.overdue,
    stationId: o.stationId,
    stationName: o.stationName,
    pointName: o.pointName,
    createdAt: new Date(o.createdAt).toISOString(),
    ...(distanceM === undefined ? {} : { distanceM }),
  };
}

const EXCERPT = 60;

/** A summary for the staff reviewing the area: who asked and what, enough to decide from the list. */
export function toAreaSummary(o: OrderDoc): OrderSummary {
  const chars = [...o.content];
  return {
    ...toSummary(o),
    requesterName: o.requester.name,
    excerpt: chars.length > EXCERPT ? `${chars.slice(0, EXCERPT).join('')}…` : o.content,
    assigneeName: holding(o) ? (o.assignee?.name ?? null) : null,
    urgedAt: o.urge ? new Date(o.urge.at).toISOString() : null,
  };
}

export function toEvent(e: EventDoc): OrderEvent {
  return {
    from: e.from,
    to: e.to,
    type: e.type,
    by: e.by,
    byName: e.byName,
    at: new Date(e.at).toISOString(),
    ...(e.note ? { note: e.note } : {}),
  };
}

/** 赵桂英 → 赵** : how a villager's name shows to volunteers browsing the hall. */
export const maskName = (name: string | null): string | null => (name ? `${[...name][0]}**` : null);

/** A volunteer holds the order: dispatched to them or accepted by them (who a 催办 reaches). */
export const holding = (o: Pick<OrderDoc, 'assignee' | 'status'>): boolean =>
  !!o.assignee && (o.status === 'dispatched' || o.status === 'accepted');

/** The assignee holds the order while it is dispatched to them or accepted: then, and only then, they see the contact. */
export const holdsContact = (o: Pick<OrderDoc, 'assignee' | 'status'>, v: Viewer) =>
  isAssignee(o, v) && (o.status === 'dispatched' || o.status === 'accepted');

/** Whether the viewer sees the requester's contact in full: the requester, a dispatcher, the holder. */
export const seesContact = (o: OrderDoc, v: Viewer) => isRequester(o, v) || isDispatcher(o, v) || holdsContact(o, v);

/** 13912345678 → 139****5678, 凤山村三组18号 → 凤山村…: what anyone else who may see the order sees. */
export function maskContact(c: OrderDoc['contact']): OrderDoc['contact'] {
  if (!c) return null;
  return {
    phone: maskPhone(c.phone),
    address: c.address ? `${[...c.address].slice(0, 3).join('')}…` : null,
  };
}

/** About 100 m: near enough to judge the way, not enough to find the door. */
const roughly = (x: number) => Math.round(x * 1000) / 1000;

export function toOrder(o: OrderDoc, v: Viewer, can: OrderAction[]): Order {
  // The people on the order see it whole. A volunteer of the area browsing before taking it sees no
  // contact, the requester's surname only and a rounded location: enough to decide, not to visit.
  const onIt = isRequester(o, v) || isAssignee(o, v) || isDispatcher(o, v);
  const requesterName = onIt ? o.requester.name : maskName(o.requester.name);
  return {
    ...toSummary(o),
    content: o.content,
    photos: visiblePhotos(o.photos, v, o),
    pointId: o.pointId,
    location:
      o.lat === null || o.lng === null
        ? null
        : onIt
          ? { lat: o.lat, lng: o.lng }
          : { lat: roughly(o.lat), lng: roughly(o.lng) },
    requester: { openid: onIt ? o.requester.openid : '', name: requesterName },
    contact: seesContact(o, v) ? o.contact : maskContact(o.contact),
    assignee: o.assignee,
    urgedAt: o.urge ? new Date(o.urge.at).toISOString() : null,
    dueAt: iso(o.dueAt),
    fulfilment: o.fulfilment
      ? {
          note: o.fulfilment.note,
          photos: visiblePhotos(o.fulfilment.photos, v, o),
          at: new Date(o.fulfilment.at).toISOString(),
          minutes: o.fulfilment.minutes ?? null,
        }
      : null,
    rating: o.rating ? { ...o.rating, at: new Date(o.rating.at).toISOString() } : null,
    events: o.events.map((e) =>
      onIt || e.by !== o.requester.openid ? toEvent(e) : { ...toEvent(e), by: '', byName: requesterName ?? '群众' },
    ),
    can,
  };
}
