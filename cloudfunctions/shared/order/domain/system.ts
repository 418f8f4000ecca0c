/**
 * The system's steps on an order, decided as a person's are (decide.ts): the timer's skip, escalation
 * and automatic close, and automatic dispatch. Each answers the Change to apply on the condition that
 * the order is still as read, or null when the step does not apply. Pure: no SDK, no clock.
 */
import { LEVEL_LABELS } from '../../../../typings/domain';
import { ACTIVE_STATUSES, type OrderSettings } from '../../../../typings/order';
import { escalation } from './machine';
import type { OrderDoc } from './model';
import {
  asRead,
  AUTO_DISPATCH,
  countedHours,
  DAY_MS,
  dispatchTo,
  event,
  SYSTEM,
  type Actor,
  type Change,
} from './decide';

/** Automatic dispatch of an open order to the best candidate (the station has it turned on). */
export function autoDispatchTo(
  o: OrderDoc,
  top: Actor & { reasons: readonly string[] },
  s: OrderSettings,
  now: Date,
): Change | null {
  if (o.status !== 'open') return null;
  const note = `自动派给${top.name}（${top.reasons.join('，')}）`;
  return { condition: asRead(o), ...dispatchTo(o, top, AUTO_DISPATCH, note, s, now) };
}

/** A dispatched volunteer did not accept in time: back to open, passed over, their load given back. */
export function skip(o: OrderDoc, s: OrderSettings, now: Date): Change | null {
  if (o.status !== 'dispatched' || !o.acceptBy || new Date(o.acceptBy).getTime() > now.getTime() || !o.assignee) {
    return null;
  }
  const v = o.assignee;
  return {
    condition: { status: 'dispatched', acceptBy: new Date(o.acceptBy), 'assignee.openid': v.openid },
    set: {
      status: 'open',
      assignee: null,
      acceptBy: null,
      passedOver: o.passedOver.includes(v.openid) ? o.passedOver : [...o.passedOver, v.openid],
      // dueAt is kept: the take stage (open or dispatched → accepted) goes on, so a chain of lapsed
      // dispatches still escalates when the stage's SLA runs out.
    },
    event: event(o, 'skipped', 'open', SYSTEM, now, `${v.name}超过${s.acceptHours}小时没有确认接单`),
    counters: [{ openid: v.openid, inc: { load: -1 } }],
    offerOn: true,
  };
}

/**
 * An active order past its deadline: one level up with a new deadline there, or red at the center.
 * `ownerName` is the name of the node it climbs to (for the timeline), when known.
 */
export function escalate(
  o: OrderDoc,
  s: OrderSettings,
  now: Date,
  ownerName: (orgId: string) => string | null = () => null,
): Change | null {
  if (!ACTIVE_STATUSES.includes(o.status) || !o.dueAt) return null;
  const next = escalation(o, s, now);
  if (!next) return null;
  const condition = { status: o.status, level: o.level, dueAt: new Date(o.dueAt), overdue: false };
  if (next.overdue) {
    const note = `在${LEVEL_LABELS.center}仍然超时未办，已标红`;
    return {
      condition,
      set: { overdue: true },
      event: event(o, 'overdue', o.status, SYSTEM, now, note),
      counters: [],
      offerOn: false,
    };
  }
  const owner = ownerName(next.ownerOrgId);
  const note = `超时未办，已上报到${LEVEL_LABELS[next.level]}${owner ? `（${owner}）` : ''}`;
  return {
    condition,
    set: { level: next.level, ownerOrgId: next.ownerOrgId, dueAt: next.dueAt },
    event: event(o, 'escalated', o.status, SYSTEM, now, note),
    counters: [],
    offerOn: false,
  };
}

/** A fulfilled order nobody rated in time: closed with the automatic rating, counted for the volunteer. */
export function autoClose(o: OrderDoc, s: OrderSettings, now: Date): Change | null {
  if (o.status !== 'fulfilled' || !o.rateBy || new Date(o.rateBy).getTime() > now.getTime()) return null;
  const stars = s.autoCloseStars;
  const days = o.fulfilledAt
    ? Math.max(1, Math.round((new Date(o.rateBy).getTime() - new Date(o.fulfilledAt).getTime()) / DAY_MS))
    : s.autoCloseDays;
  return {
    condition: { status: 'fulfilled', rateBy: new Date(o.rateBy) },
    set: { status: 'closed', rating: { stars, comment: null, auto: true, at: now }, rateBy: null },
    event: {
      ...event(o, 'autoClosed', 'closed', SYSTEM, now, `${days}天没有评价，按规定自动完成（${stars}星）`),
      stars,
    },
    counters: o.assignee ? [{ openid: o.assignee.openid, inc: { ratingSum: stars, ratingCount: 1 } }] : [],
    offerOn: false,
    hours: countedHours(o, now),
  };
}
