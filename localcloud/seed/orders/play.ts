/**
 * One demo order played forward from its posting at t = 0 (times are relative until it is placed),
 * step by step through the order domain's own decisions (domain/decide.ts): every field, event and
 * deadline is what the order function or the timer would set. A refused step is a bug in the seed.
 */
import type { Rand } from '../random';
import type { OrderSettings, OrderStatus } from '../../../typings/order';
import { SHANGHAI_OFFSET_MS } from '../../../typings/time';
import {
  applied,
  decide,
  posted,
  type Actor,
  type Change,
  type Decision,
  type OrderDraft,
} from '../../../cloudfunctions/shared/order/domain/decide';
import { autoClose, escalate, skip } from '../../../cloudfunctions/shared/order/domain/system';
import type { OrderRelation } from '../../../cloudfunctions/shared/order/domain/machine';
import type { OrderDoc } from '../../../cloudfunctions/shared/order/domain/model';

export type { Actor };

export interface Helper extends Actor {
  skills: readonly string[];
  areas: readonly string[];
  stationIds: readonly string[];
}

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The stage clocks an order still waits on: what the timer would act on next. */
export function pendingDeadline(o: OrderDoc): number | null {
  const ds = [o.overdue ? null : o.dueAt, o.acceptBy, o.rateBy]
    .filter((d): d is Date => d !== null)
    .map((d) => new Date(d).getTime());
  return ds.length ? Math.min(...ds) : null;
}

export class Play {
  readonly o: OrderDoc;
  t = 0;

  constructor(
    private readonly r: Rand,
    private readonly s: OrderSettings,
    /** The Asia/Shanghai time of day (ms since midnight) the order is posted at. */
    readonly phase: number,
    draft: OrderDraft,
    requester: Actor,
  ) {
    this.o = posted(draft, requester, this.s, new Date(0));
  }

  get status(): OrderStatus {
    return this.o.status;
  }

  /**
   * A person acts some hours later, always before the deadline the order waits on, and in the daytime
   * (7:00–21:00 in Hai'an) when the deadline leaves room for it.
   */
  wait(minH: number, maxH: number): void {
    const d = pendingDeadline(this.o);
    const limit = d === null ? Infinity : this.t + (d - this.t) * 0.85;
    const hi = Math.min(maxH * HOUR, limit - this.t);
    const lo = Math.min(minH * HOUR, hi * 0.5);
    const daytime = (x: number) => {
      const tod = (this.phase + x) % DAY;
      return tod >= 7 * HOUR && tod < 21 * HOUR;
    };
    let t = this.t;
    for (let k = 0; k < 4 && (t === this.t || !daytime(t)); k++) t = this.t + Math.round(this.r.between(lo, hi));
    if (!daytime(t)) {
      const morning = t + ((7 * HOUR - ((this.phase + t) % DAY) + DAY) % DAY) + Math.round(this.r.between(0, 2) * HOUR);
      if (morning < limit) t = morning;
    }
    this.t = t;
  }

  /** The timer runs every five minutes: it acts within five minutes of a deadline. */
  private timerAt(deadline: Date): void {
    this.t = deadline.getTime() + Math.round(this.r.between(0.2, 5) * MIN);
  }

  private apply(what: string, change: Change | null | Decision): void {
    const c = change && 'refused' in change ? null : change && 'change' in change ? change.change : change;
    if (!c) throw new Error(`seed: ${this.o._id} cannot ${what}: ${JSON.stringify(change)}`);
    Object.assign(this.o, applied(this.o, c));
  }

  /** A person's step, as the order function decides it. */
  private person<A extends Parameters<typeof decide>[0]>(
    action: A,
    by: Actor,
    as: OrderRelation,
    input: Parameters<typeof decide<A>>[3],
    skills: readonly string[] = [],
  ): void {
    const now = new Date(this.t);
    this.apply(action, decide(action, this.o, { ...by, relations: [as], skills }, input, this.s, now));
  }

  review(by: Actor, approve: boolean, reason?: string): void {
    this.person('review', by, 'dispatcher', { approve, reason });
  }

  dispatch(by: Actor, v: Helper): void {
    const volunteer = { ...v, status: 'active' as const, skills: v.skills as never };
    this.person('dispatch', by, 'dispatcher', { volunteer });
  }

  accept(): void {
    this.person('accept', this.o.assignee!, 'assignee', {});
  }

  claim(v: Helper): void {
    this.person('accept', v, 'areaVolunteer', {}, v.skills);
  }

  decline(reason: string): void {
    this.person('decline', this.o.assignee!, 'assignee', { reason });
  }

  fulfil(note: string): void {
    this.person('fulfil', this.o.assignee!, 'assignee', { note, photos: [], minutes: null });
  }

  rate(by: Actor, stars: number, comment: string): void {
    this.person('rate', by, 'requester', { stars, comment });
  }

  cancel(by: Actor): void {
    this.person('cancel', by, 'requester', {});
  }

  reopen(by: Actor, reason: string): void {
    this.person('reopen', by, 'requester', { reason });
  }

  /** The timer: a dispatched volunteer let acceptBy pass (the take stage's dueAt runs on). */
  skip(): void {
    this.timerAt(new Date(this.o.acceptBy!));
    this.apply('skip', skip(this.o, this.s, new Date(this.t)));
  }

  /** The timer: the stage's deadline passed; one level up, or red at the center. */
  escalate(names: Record<string, string>): void {
    this.timerAt(new Date(this.o.dueAt!));
    this.apply(
      'escalate',
      escalate(this.o, this.s, new Date(this.t), (id) => names[id] ?? id),
    );
  }

  /** The timer: nobody rated it within autoCloseDays. */
  autoClose(): void {
    this.timerAt(new Date(this.o.rateBy!));
    this.apply('auto-close', autoClose(this.o, this.s, new Date(this.t)));
  }
}

/** Moves every time of the order by `ms`. */
export function shift(o: OrderDoc, ms: number): void {
  const move = (d: Date) => new Date(new Date(d).getTime() + ms);
  o.createdAt = move(o.createdAt);
  o.updatedAt = move(o.updatedAt);
  if (o.dueAt) o.dueAt = move(o.dueAt);
  if (o.acceptBy) o.acceptBy = move(o.acceptBy);
  if (o.rateBy) o.rateBy = move(o.rateBy);
  if (o.fulfilledAt) o.fulfilledAt = move(o.fulfilledAt);
  if (o.fulfilment) o.fulfilment = { ...o.fulfilment, at: move(o.fulfilment.at) };
  if (o.rating) o.rating = { ...o.rating, at: move(o.rating.at) };
  o.events = o.events.map((e) => ({ ...e, at: move(e.at) }));
}

/** Asia/Shanghai time of day (ms since midnight) of a moment. */
const localTime = (ms: number) => (((ms + SHANGHAI_OFFSET_MS) % DAY) + DAY) % DAY;

/** Terminal orders are spread over this many days before now. */
const HISTORY_DAYS = 120;

/**
 * Where a played order goes in time: the shift that puts its posting at its time of day (`phase`) and
 * its last step in the past — for a finished order somewhere in the last months, for one still in
 * progress within the deadline it waits on, so that the timer has nothing to do with it yet. Null
 * when no day fits an order in progress (its window is shorter than a day): another phase is tried,
 * and at last `anyTime`.
 */
export function placement(p: Play, r: Rand, now: number, finished: boolean, anyTime = false): number | null {
  const last = p.t;
  const deadline = pendingDeadline(p.o);
  /** The latest posting time at the order's time of day, no later than `t`. */
  const postedBy = (t: number) => t - ((localTime(t) - p.phase + DAY) % DAY);
  if (finished || deadline === null) {
    const age = finished ? 2 * HOUR + HISTORY_DAYS * DAY * r() ** 1.6 : r.between(2, 30) * HOUR;
    return postedBy(now - age - last);
  }
  const room = deadline - last;
  if (anyTime) return now - last - room * r.between(0.05, 0.9);
  const posted = postedBy(now - last - room * 0.03);
  return now - last - posted < room * 0.95 ? posted : null;
}
