/**
 * What each transition of an order changes, decided once: given the order as read, the caller, the
 * input, the settings and the time, the answer is a Change (the fields set, the timeline event, the
 * volunteers' counters, whether to offer it on) applied on the condition that the order is still as
 * read — or a typed Refusal. The order actions, the timer and the demo seed all call these functions;
 * their I/O shells only load, apply conditionally and retry. Pure: no SDK, no clock.
 */
import type { OrderAction } from '../../../../typings/api';
import type { Category, VolunteerStatus } from '../../../../typings/domain';
import type { ErrorCode } from '../../../../typings/errors';
import { ORDER_KIND_INFO, type OrderEventType, type OrderSettings, type OrderStatus } from '../../../../typings/order';
import { acceptBy, dueAt, MAX_CLAIMED, ownerAt, rateBy, refusal, type OrderRelation } from './machine';
import type { EventDoc, OrderDoc, PhotoDoc } from './model';
import type { CounterChange } from '../../user/domain/model';
import type { HoursDoc } from '../../activity/domain/model';
import { orderHours, orderHoursReversed, type OrderService } from '../../activity/domain/order-hours';
import { geoPoint } from '../../org/domain/geo';

export type { CounterChange };

/** Who makes a step: a person, or the system (the timer, automatic dispatch). */
export interface Actor {
  openid: string;
  name: string;
}

export const SYSTEM: Actor = { openid: 'system', name: '系统' };
export const AUTO_DISPATCH: Actor = { openid: 'system', name: '自动派单' };

/** The caller of a person's transition: who they are to the order, and what they can do. */
export interface Caller extends Actor {
  relations: readonly OrderRelation[];
  /** The skills of their volunteer registration (empty if none). */
  skills: readonly string[];
}

export interface Change {
  /** What the decision read: the change applies only while the order still matches (dotted paths). */
  condition: Record<string, unknown>;
  set: Partial<OrderDoc>;
  event: EventDoc;
  counters: CounterChange[];
  /** Offer the order to the next candidate where its station dispatches automatically. */
  offerOn: boolean;
  /** Service hours records written with the change (the activity store's), in its transaction. */
  hours?: HoursDoc[];
}

export interface Refused {
  code: ErrorCode;
  message: string;
  details?: string[];
}

export type Decision = { change: Change } | { refused: Refused };

/** A volunteer as dispatch needs to judge them. */
export interface VolunteerFacts {
  openid: string;
  name: string;
  status: VolunteerStatus;
  areas: readonly string[];
  skills: readonly Category[];
}

/** What each person's transition is given beyond the order and the caller. */
export interface TransitionInput {
  review: { approve: boolean; reason?: string };
  dispatch: { volunteer: VolunteerFacts | undefined };
  accept: Record<never, never>;
  decline: { reason: string };
  fulfil: { note: string; photos: PhotoDoc[]; minutes: number | null };
  rate: { stars: number; comment?: string };
  cancel: Record<never, never>;
  reopen: { reason: string };
}

export const DAY_MS = 86_400_000;

/** The time the assignee stated for this fulfilment, as service hours to count (none stated: null). */
function serviceOf(o: OrderDoc): OrderService | null {
  const minutes = o.fulfilment?.minutes;
  if (!o.assignee || !o.fulfilledAt || !minutes || minutes <= 0) return null;
  return {
    orderId: o._id,
    fulfilledAt: new Date(o.fulfilledAt),
    openid: o.assignee.openid,
    minutes,
    title: `${ORDER_KIND_INFO[o.kind].label}：${o.title}`,
    category: o.category,
    placeName: o.pointName ?? o.stationName,
    path: o.path,
  };
}

/** Closing a fulfilled order counts the time its volunteer stated, once (the record's key is the fulfilment). */
export function countedHours(o: OrderDoc, now: Date): HoursDoc[] {
  const service = serviceOf(o);
  return service ? [orderHours(service, now)] : [];
}

export function event(
  o: OrderDoc,
  type: OrderEventType,
  to: OrderStatus,
  by: Actor,
  at: Date,
  note?: string,
): EventDoc {
  return { from: o.status, to, type, by: by.openid, byName: by.name, at, ...(note ? { note } : {}) };
}

const refuse = (code: ErrorCode, message: string, details?: string[]): Decision => ({
  refused: { code, message, ...(details ? { details } : {}) },
});

/** What a person's decision was based on: the status, the level its deadline came from, who holds it. */
export const asRead = (o: OrderDoc) => ({
  status: o.status,
  level: o.level,
  'assignee.openid': o.assignee?.openid ?? null,
});

type Effect<A extends OrderAction> = (
  o: OrderDoc,
  by: Caller,
  input: TransitionInput[A],
  s: OrderSettings,
  now: Date,
) => Omit<Change, 'condition'> | Refused;

const EFFECTS: { [A in OrderAction]: Effect<A> } = {
  review(o, by, { approve, reason }, s, now) {
    if (!approve && !reason) {
      return {
        code: 'INVALID_ARGUMENT',
        message: '不通过时请写明原因，群众能看到。',
        details: ['reason: required to reject'],
      };
    }
    const to = approve ? 'open' : 'rejected';
    return {
      set: { status: to, dueAt: approve ? dueAt('open', o.level, s, now) : null, overdue: false },
      event: event(o, approve ? 'reviewed' : 'rejected', to, by, now, reason),
      counters: [],
      offerOn: approve,
    };
  },
  dispatch(o, by, { volunteer: v }, s, now) {
    if (!v || v.status !== 'active') return { code: 'NOT_FOUND', message: '没有找到这位志愿者。' };
    if (!v.areas.includes(o.ownerOrgId) || !v.skills.includes(o.category)) {
      return { code: 'FAILED_PRECONDITION', message: '这位志愿者不服务这个地方，或不会这项服务。' };
    }
    if (o.passedOver.includes(v.openid)) {
      return { code: 'FAILED_PRECONDITION', message: '这位志愿者已经推掉过这个需求，请换一位。' };
    }
    if (v.openid === o.requester.openid) return { code: 'FAILED_PRECONDITION', message: '不能派给提需求的本人。' };
    return dispatchTo(o, v, by, `派给${v.name}`, s, now);
  },
  accept(o, by, _input, s, now) {
    const claim = o.status === 'open';
    return {
      set: {
        status: 'accepted',
        assignee: { openid: by.openid, name: by.name },
        acceptBy: null,
        dueAt: dueAt('accepted', o.level, s, now),
        overdue: false,
      },
      event: event(o, claim ? 'claimed' : 'accepted', 'accepted', by, now),
      // Claiming from the hall is capped, in the same transaction, so no account takes a county's wishes.
      counters: claim ? [{ openid: by.openid, inc: { load: 1 }, loadBelow: MAX_CLAIMED }] : [],
      offerOn: false,
    };
  },
  decline(o, by, { reason }, s, now) {
    return {
      set: {
        status: 'open',
        assignee: null,
        acceptBy: null,
        passedOver: [...o.passedOver, by.openid],
        dueAt: dueAt('open', o.level, s, now),
        overdue: false,
      },
      event: event(o, 'declined', 'open', by, now, reason),
      counters: [{ openid: by.openid, inc: { load: -1 } }],
      offerOn: true,
    };
  },
  fulfil(o, by, { note, photos, minutes }, s, now) {
    if (minutes !== null && minutes > s.maxServiceMinutes) {
      return {
        code: 'INVALID_ARGUMENT',
        message: `服务时长最多填 ${s.maxServiceMinutes / 60} 小时（${s.maxServiceMinutes} 分钟）。`,
        details: [`minutes: at most ${s.maxServiceMinutes}`],
      };
    }
    return {
      set: {
        status: 'fulfilled',
        fulfilledAt: now,
        fulfilment: { note, photos, at: now, minutes },
        dueAt: null,
        overdue: false,
        rateBy: rateBy(s, now),
      },
      event: event(o, 'fulfilled', 'fulfilled', by, now, note),
      counters: [{ openid: by.openid, inc: { load: -1 } }],
      offerOn: false,
    };
  },
  rate(o, by, { stars, comment }, _s, now) {
    return {
      set: { status: 'closed', rating: { stars, comment: comment || null, auto: false, at: now }, rateBy: null },
      event: { ...event(o, 'rated', 'closed', by, now, `${stars}星${comment ? `：${comment}` : ''}`), stars },
      counters: o.assignee ? [{ openid: o.assignee.openid, inc: { ratingSum: stars, ratingCount: 1 } }] : [],
      offerOn: false,
      hours: countedHours(o, now),
    };
  },
  cancel(o, by, _input, _s, now) {
    return {
      // The volunteer stays on record as whom it was dispatched to, so the cancellation reaches them.
      set: { status: 'cancelled', dueAt: null, acceptBy: null, overdue: false },
      event: event(o, 'cancelled', 'cancelled', by, now),
      counters: o.status === 'dispatched' && o.assignee ? [{ openid: o.assignee.openid, inc: { load: -1 } }] : [],
      offerOn: false,
    };
  },
  reopen(o, by, { reason }, s, now) {
    const previous = o.assignee;
    // The time counted when it closed is taken back by a correction: it was not really fulfilled.
    const service = o.status === 'closed' ? serviceOf(o) : null;
    return {
      set: {
        status: 'open',
        assignee: null,
        rating: null,
        rateBy: null,
        passedOver: previous ? [...o.passedOver, previous.openid] : o.passedOver,
        dueAt: dueAt('open', o.level, s, now),
        overdue: false,
      },
      event: event(o, 'reopened', 'open', by, now, `${reason}${previous ? `（原志愿者：${previous.name}）` : ''}`),
      // A rating given to a wish that was not really fulfilled no longer counts.
      counters:
        previous && o.rating ? [{ openid: previous.openid, inc: { ratingSum: -o.rating.stars, ratingCount: -1 } }] : [],
      offerOn: true,
      hours: service ? [orderHoursReversed(service, `工单重新打开：${reason}`, by.openid, now)] : [],
    };
  },
};

export function dispatchTo(o: OrderDoc, v: Actor, by: Actor, note: string, s: OrderSettings, now: Date) {
  return {
    set: { status: 'dispatched' as const, assignee: { openid: v.openid, name: v.name }, acceptBy: acceptBy(s, now) },
    event: event(o, 'dispatched', 'dispatched', by, now, note),
    counters: [{ openid: v.openid, inc: { load: 1 } }],
    offerOn: false,
  };
}

/**
 * A person's transition: first whether this caller may make it now (FORBIDDEN before CONFLICT, see
 * refusal), then what it changes — or why the input will not do.
 */
export function decide<A extends OrderAction>(
  action: A,
  o: OrderDoc,
  by: Caller,
  input: TransitionInput[A],
  s: OrderSettings,
  now: Date,
): Decision {
  const no = refusal(o, action, by.relations, by, s, now);
  if (no) return refuse(no.code, no.message);
  const effect = (EFFECTS[action] as Effect<A>)(o, by, input, s, now);
  if ('code' in effect) return { refused: effect };
  return { change: { condition: asRead(o), ...effect } };
}

/** What a poster gives and the place gives: everything of a new order but its state. */
export type OrderDraft = Omit<
  OrderDoc,
  | 'level'
  | 'ownerOrgId'
  | 'status'
  | 'overdue'
  | 'assignee'
  | 'passedOver'
  | 'dueAt'
  | 'acceptBy'
  | 'rateBy'
  | 'fulfilledAt'
  | 'fulfilment'
  | 'rating'
  | 'events'
  | 'createdAt'
  | 'updatedAt'
  | 'geo'
>;

/** A new order as posted: submitted, at the level its kind starts at, with the review clock running. */
export function posted(draft: OrderDraft, by: Actor, s: OrderSettings, now: Date): OrderDoc {
  const level = ORDER_KIND_INFO[draft.kind].startsAt;
  return {
    ...draft,
    geo: geoPoint(draft.lat, draft.lng),
    level,
    ownerOrgId: ownerAt(draft.path, level),
    status: 'submitted',
    overdue: false,
    assignee: null,
    passedOver: [],
    dueAt: dueAt('submitted', level, s, now),
    acceptBy: null,
    rateBy: null,
    fulfilledAt: null,
    fulfilment: null,
    rating: null,
    events: [{ from: null, to: 'submitted', type: 'created', by: by.openid, byName: by.name, at: now }],
    createdAt: now,
    updatedAt: now,
  };
}

/** The order as it is once the change has won. */
export function applied(o: OrderDoc, c: Pick<Change, 'set' | 'event'>): OrderDoc {
  return { ...o, ...c.set, events: [...o.events, c.event], updatedAt: c.event.at };
}
