/**
 * The check-in decisions: given the documents, the input, the caller, the settings and the time, what
 * changes — or a typed refusal. Actions, the timer, the seed and the unit tests call these same
 * functions; the store only applies what they answer, conditionally. Pure: no SDK, no clock.
 */
import {
  FLAGS_NEEDING_REVIEW,
  type ActivitySettings,
  type CheckinFlag,
  type Refusal,
  type Review,
} from '../../../../typings/activity';
import type { ErrorCode } from '../../../../typings/errors';
import { distanceM } from '../../org/domain/geo';
import { verifyCode, type Scene } from './code';
import { minutesServed } from './hours';
import { checkinId, type ActivityDoc, type CheckinDoc, type HoursDoc, type SignupDoc } from './model';

const MINUTE = 60_000;
/** A scan sent more than this after it was made is marked as sent late. */
const LATE_AFTER_MS = 60_000;
/** A phone's clock may run this far ahead of the cloud's. */
const CLOCK_SKEW_MS = 2 * MINUTE;

export interface Refused {
  refused: ErrorCode;
  message: string;
}
const refuse = (refused: ErrorCode, message: string): Refused => ({ refused, message });
export const isRefused = (x: unknown): x is Refused => !!x && typeof x === 'object' && 'refused' in x;

export const REFUSAL_MESSAGES: Record<Refusal, string> = {
  malformed: '这不是签到码。请扫活动现场站长手机上的签到码。',
  unknown: '没有找到这个活动，签到码可能不对。',
  forged: '签到码不对。请扫站长手机上正在显示的签到码。',
  expired: '签到码已经过期了。请扫站长手机上最新的签到码。',
  future: '签到码的时间不对。请扫站长手机上最新的签到码。',
  notStarted: '活动还没开始，开始前半小时才能签到。',
  ended: '活动已经结束，不能再签到了。',
  cancelled: '这个活动已经取消了。',
  notSignedUp: '这个活动要先报名，您还没有报名。',
  notVolunteer: '这个活动只对注册志愿者开放，请先在“我的”里注册志愿者。',
  checkedOut: '您已经签退了，这次活动的服务时长已经记下，不用再扫。',
  tooLate: '这次扫码离现在太久了，超过了补交期限，请找站长补录。',
};

export type ScanDecision =
  | { kind: 'refuse'; reason: Refusal; message: string }
  | { kind: 'in'; doc: CheckinDoc; message: string }
  | { kind: 'out'; set: Partial<CheckinDoc>; hours: HoursDoc | null; message: string }
  | { kind: 'already'; message: string };

export interface ScanFacts {
  activity: ActivityDoc;
  scene: Extract<Scene, { kind: 'checkin' }>;
  checkin?: CheckinDoc;
  signup?: SignupDoc;
  caller: { openid: string; name: string; isVolunteer: boolean };
  location?: { lat: number; lng: number };
  /** When a phone without signal made the scan; absent for a scan sent at once. */
  scannedAt?: Date;
  now: Date;
  settings: ActivitySettings;
}

const no = (reason: Refusal): ScanDecision => ({ kind: 'refuse', reason, message: REFUSAL_MESSAGES[reason] });

function needsReview(flags: readonly CheckinFlag[], before: Review): Review {
  if (before === 'rejected') return 'rejected';
  const pending = flags.some((f) => FLAGS_NEEDING_REVIEW.includes(f));
  if (!pending) return before === 'confirmed' ? 'confirmed' : 'none';
  return before === 'confirmed' ? 'confirmed' : 'pending';
}

function distanceFrom(a: ActivityDoc, location?: { lat: number; lng: number }): number | null {
  if (!location || a.lat === null || a.lng === null) return null;
  return Math.round(distanceM(location, { lat: a.lat, lng: a.lng }));
}

export function decideScan(f: ScanFacts): ScanDecision {
  const { activity: a, settings: s, now } = f;
  const at = f.scannedAt ?? now;
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) return no('future');
  if (now.getTime() - at.getTime() > s.offlineMaxDelayMin * MINUTE) return no('tooLate');
  if (a.status === 'cancelled') return no('cancelled');
  const verdict = verifyCode(a, f.scene, at);
  if (verdict !== 'ok') return no(verdict);
  if (at.getTime() < new Date(a.startAt).getTime() - s.earlyMin * MINUTE) return no('notStarted');
  if (at.getTime() > new Date(a.endAt).getTime() + s.graceMin * MINUTE) return no('ended');

  const late = f.scannedAt !== undefined && now.getTime() - f.scannedAt.getTime() > LATE_AFTER_MS;
  const distance = distanceFrom(a, f.location);
  const far = distance !== null && distance > s.farM;
  const c = f.checkin;
  if (c) {
    if (c.state === 'out') return no('checkedOut');
    if (at.getTime() - new Date(c.inAt).getTime() < s.checkoutAfterMin * MINUTE) {
      return {
        kind: 'already',
        message: `您已经签到了。活动结束时（签到${s.checkoutAfterMin}分钟以后）再扫一次就是签退。`,
      };
    }
    const flags = [
      ...new Set<CheckinFlag>([...c.flags, ...(far ? ['far' as const] : []), ...(late ? ['late' as const] : [])]),
    ];
    const minutes = minutesServed(c.inAt, at, a.startAt, a.endAt);
    const review = needsReview(flags, c.review);
    const out: CheckinDoc = { ...c, state: 'out', outAt: at, minutes, flags, review };
    return {
      kind: 'out',
      set: { state: 'out', outAt: at, minutes, flags, review },
      hours: review === 'none' || review === 'confirmed' ? hoursForCheckin(a, out, now) : null,
      message:
        review === 'pending'
          ? `签退成功，服务${minutes}分钟。这次签到要站长确认后才记入时长。`
          : `签退成功，这次服务${minutes}分钟，已记入您的服务时长。`,
    };
  }
  if (a.audience === 'volunteers' && !f.caller.isVolunteer) return no('notVolunteer');
  if (a.signupRequired && f.signup?.status !== 'signed') return no('notSignedUp');
  const flags: CheckinFlag[] = [...(far ? ['far' as const] : []), ...(late ? ['late' as const] : [])];
  return {
    kind: 'in',
    doc: {
      _id: checkinId(a._id, f.caller.openid),
      activityId: a._id,
      openid: f.caller.openid,
      name: f.caller.name,
      state: 'in',
      inAt: at,
      outAt: null,
      minutes: null,
      flags,
      review: needsReview(flags, 'none'),
      reviewedBy: null,
      distanceM: distance,
      location: f.location ?? null,
      receivedAt: now,
    },
    message: far
      ? `签到成功。您离活动地点约${distance}米，站长确认后才记入时长。`
      : '签到成功！活动结束时请再扫一次签退。',
  };
}

/** The recorded-hours record of a finished check-in: its id is the check-in's, so it is written once. */
export function hoursForCheckin(a: ActivityDoc, c: CheckinDoc, now: Date): HoursDoc {
  const key = `checkin:${c._id}`;
  return {
    _id: key,
    requestKey: key,
    openid: c.openid,
    kind: 'recorded',
    source: 'checkin',
    minutes: c.minutes ?? 0,
    title: a.title,
    category: a.category,
    placeName: a.pointName,
    path: a.path,
    at: a.startAt,
    activityId: a._id,
    reason: null,
    by: null,
    correctsId: null,
    createdAt: now,
  };
}

/** The timer's check-out of someone still in when the activity is over: at its end, flagged. */
export function autoCheckout(a: ActivityDoc, c: CheckinDoc): Partial<CheckinDoc> {
  const flags = [...new Set<CheckinFlag>([...c.flags, 'autoOut'])];
  return {
    state: 'out',
    outAt: a.endAt,
    minutes: minutesServed(c.inAt, a.endAt, a.startAt, a.endAt),
    flags,
    review: needsReview(flags, c.review === 'confirmed' ? 'none' : c.review),
  };
}

/** A station head confirms or rejects a flagged check-in; confirming a finished one records its hours. */
export function decideReview(
  a: ActivityDoc,
  c: CheckinDoc,
  accept: boolean,
  by: string,
  now: Date,
): Refused | { set: Partial<CheckinDoc>; hours: HoursDoc | null } {
  if (c.review !== 'pending') return refuse('CONFLICT', '这条签到已经处理过了，或者不需要确认。');
  const review: Review = accept ? 'confirmed' : 'rejected';
  const set = { review, reviewedBy: by };
  return { set, hours: accept && c.state === 'out' ? hoursForCheckin(a, { ...c, ...set }, now) : null };
}

export function decideSignup(
  a: ActivityDoc,
  signup: SignupDoc | undefined,
  isVolunteer: boolean,
  now: Date,
): Refused | 'already' | 'take' {
  if (a.status === 'cancelled') return refuse('FAILED_PRECONDITION', '这个活动已经取消了。');
  if (now.getTime() >= new Date(a.startAt).getTime())
    return refuse('FAILED_PRECONDITION', '活动已经开始，不能再报名了。');
  if (a.audience === 'volunteers' && !isVolunteer)
    return refuse('FAILED_PRECONDITION', '这个活动只对注册志愿者开放，请先在“我的”里注册志愿者。');
  if (signup?.status === 'signed') return 'already';
  if (!a.signupRequired) return refuse('FAILED_PRECONDITION', '这个活动不用报名，到时候直接去现场扫码签到就行。');
  if (a.signedUp >= a.capacity) return refuse('FAILED_PRECONDITION', '名额已经满了，下次早点报名吧。');
  return 'take';
}

export function decideCancelSignup(
  a: ActivityDoc,
  signup: SignupDoc | undefined,
  now: Date,
  s: ActivitySettings,
): Refused | 'none' | 'release' {
  if (signup?.status !== 'signed') return 'none';
  if (a.status === 'cancelled') return 'none';
  if (now.getTime() > new Date(a.startAt).getTime() - s.cancelCutoffMin * MINUTE)
    return refuse('FAILED_PRECONDITION', `活动开始前${s.cancelCutoffMin}分钟内不能再取消报名了，请直接联系站长。`);
  return 'release';
}

const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** A new activity's times (or an edit's): in order, not too long, not long past. */
export function checkTimes(startAt: Date, endAt: Date, now: Date): Refused | null {
  if (!(endAt.getTime() > startAt.getTime())) return refuse('INVALID_ARGUMENT', '结束时间要晚于开始时间。');
  if (endAt.getTime() - startAt.getTime() > MAX_DURATION_MS) return refuse('INVALID_ARGUMENT', '一个活动最长七天。');
  if (endAt.getTime() <= now.getTime()) return refuse('INVALID_ARGUMENT', '结束时间已经过去了。');
  return null;
}

export interface EditChanges {
  title?: string;
  description?: string;
  category?: ActivityDoc['category'];
  startAt?: Date;
  endAt?: Date;
  capacity?: number;
  signupRequired?: boolean;
  audience?: ActivityDoc['audience'];
}

export function decideEdit(a: ActivityDoc, c: EditChanges, now: Date): Refused | Partial<ActivityDoc> {
  if (a.status === 'cancelled') return refuse('FAILED_PRECONDITION', '活动已经取消，不能再修改。');
  if (now.getTime() > new Date(a.endAt).getTime()) return refuse('FAILED_PRECONDITION', '活动已经结束，不能再修改。');
  const started = now.getTime() >= new Date(a.startAt).getTime();
  if (started && c.startAt && c.startAt.getTime() !== new Date(a.startAt).getTime())
    return refuse('FAILED_PRECONDITION', '活动已经开始，不能再改开始时间。');
  const startAt = c.startAt ?? new Date(a.startAt);
  const endAt = c.endAt ?? new Date(a.endAt);
  const times = c.startAt || c.endAt ? checkTimes(startAt, endAt, now) : null;
  if (times) return times;
  if (c.capacity !== undefined && c.capacity < a.signedUp)
    return refuse('FAILED_PRECONDITION', `已经有${a.signedUp}人报名，名额不能少于这个数。`);
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Partial<ActivityDoc>;
}

export function decideCancel(a: ActivityDoc, now: Date): Refused | 'already' | 'cancel' {
  if (a.status === 'cancelled') return 'already';
  if (now.getTime() > new Date(a.endAt).getTime()) return refuse('FAILED_PRECONDITION', '活动已经结束，不能取消。');
  return 'cancel';
}
