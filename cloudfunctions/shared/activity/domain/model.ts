/**
 * Check-in documents as stored, and how they are shown. The secret stays on the activity document and
 * is never copied into a view. Plain data and pure functions; no SDK.
 */
import type {
  Activity,
  ActivityStatus,
  ActivitySummary,
  Audience,
  CheckinFlag,
  HoursRecord,
  Review,
  RosterEntry,
} from '../../../../typings/activity';
import type { Category } from '../../../../typings/domain';
import type { GeoPoint } from '../../org/domain/geo';

export interface ActivityDoc {
  _id: string;
  requestKey: string;
  title: string;
  category: Category;
  description: string;
  pointId: string;
  pointName: string;
  stationId: string;
  stationName: string;
  /** The point's path (center … point): scope checks and "my area" lists. */
  path: string[];
  lat: number | null;
  lng: number | null;
  /** The same place as GeoJSON for the `status_closed_geo` 2dsphere index (nearby lists); null without one. */
  geo: GeoPoint | null;
  address: string | null;
  startAt: Date;
  endAt: Date;
  capacity: number;
  /** Seats taken: changed only by conditional updates, so it never passes capacity. */
  signedUp: number;
  /** capacity − signedUp, the field the seat-taking condition reads. */
  seatsLeft: number;
  signupRequired: boolean;
  audience: Audience;
  status: ActivityStatus;
  cancelReason: string | null;
  secret: string;
  slotSeconds: number;
  /** The timer has checked out everyone left in after the end. */
  closed: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SignupDoc {
  _id: string;
  activityId: string;
  openid: string;
  status: 'signed' | 'cancelled';
  /** Kept for the scan: a check-in needs no read of the user. */
  name: string;
  at: Date;
}

export interface CheckinDoc {
  _id: string;
  activityId: string;
  openid: string;
  name: string;
  state: 'in' | 'out';
  inAt: Date;
  outAt: Date | null;
  minutes: number | null;
  flags: CheckinFlag[];
  review: Review;
  reviewedBy: string | null;
  distanceM: number | null;
  location: { lat: number; lng: number } | null;
  receivedAt: Date;
  /** The activity's path, and false until the timer has counted the check-in in the figures. */
  figuresPath?: string[];
  figured?: boolean;
}

export interface HoursDoc {
  _id: string;
  requestKey: string;
  openid: string;
  kind: 'recorded' | 'honour';
  source: 'checkin' | 'honour' | 'correction' | 'order';
  minutes: number;
  title: string;
  category: Category | null;
  placeName: string;
  /** Where it counts: the station's (or point's) path. */
  path: string[];
  /** When the service was done. */
  at: Date;
  activityId: string | null;
  reason: string | null;
  by: string | null;
  correctsId: string | null;
  createdAt: Date;
}

export interface AttemptDoc {
  _id: string;
  activityId: string | null;
  openid: string;
  reason: string;
  scene: string;
  at: Date;
  location: { lat: number; lng: number } | null;
}

export const checkinId = (activityId: string, openid: string): string => `${activityId}:${openid}`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toSummary(a: ActivityDoc, distanceM?: number): ActivitySummary {
  return {
    id: a._id,
    title: a.title,
    category: a.category,
    pointId: a.pointId,
    pointName: a.pointName,
    stationId: a.stationId,
    stationName: a.stationName,
    startAt: new Date(a.startAt).toISOString(),
    endAt: new Date(a.endAt).toISOString(),
    capacity: a.capacity,
    signedUp: a.signedUp,
    signupRequired: a.signupRequired,
    audience: a.audience,
    status: a.status,
    ...(distanceM === undefined ? {} : { distanceM }),
  };
}

export function toActivity(
  a: ActivityDoc,
  mine: { signup?: SignupDoc; checkin?: CheckinDoc },
  manage: boolean,
): Activity {
  return {
    ...toSummary(a),
    description: a.description,
    address: a.address,
    location: a.lat === null || a.lng === null ? null : { lat: a.lat, lng: a.lng },
    cancelReason: a.cancelReason,
    mine: { signedUp: mine.signup?.status === 'signed', checkin: mine.checkin?.state ?? 'none' },
    manage,
  };
}

export function toRosterEntry(c: CheckinDoc): RosterEntry {
  return {
    checkinId: c._id,
    openid: c.openid,
    name: c.name,
    state: c.state,
    inAt: iso(c.inAt),
    outAt: iso(c.outAt),
    minutes: c.minutes,
    flags: c.flags,
    review: c.review,
    distanceM: c.distanceM,
  };
}

export function toHoursRecord(h: HoursDoc): HoursRecord {
  return {
    id: h._id,
    kind: h.kind,
    source: h.source,
    minutes: h.minutes,
    title: h.title,
    category: h.category,
    placeName: h.placeName,
    at: new Date(h.at).toISOString(),
    reason: h.reason,
    by: h.by,
    correctsId: h.correctsId,
  };
}
