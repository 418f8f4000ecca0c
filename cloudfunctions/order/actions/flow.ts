/**
 * The transitions people make: review, dispatch, accept (or claim), decline, fulfil, rate, cancel,
 * reopen. Each is checked against the state machine, then applied on the condition that the order is
 * still as the decision read it (status, level, assignee) — one conditional update, or one transaction
 * where a volunteer's counters change with it. The loser of a race gets CONFLICT. A retry of a
 * transition that already happened answers the order as it is, and finishes its follow-ups (messages,
 * automatic dispatch), which are safe to run twice.
 */
import type { Order, OrderAction, OrderApi } from '../../../typings/api';
import { eventTypesOf, type OrderEventType } from '../../../typings/order';
import type { ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import * as z from 'zod/mini';
import { id } from '../../shared/runtime/validate';
import { acceptBy, dueAt, MAX_CLAIMED, rateBy, refusal } from '../../shared/order/domain/machine';
import type { EventDoc, OrderDoc } from '../../shared/order/domain/model';
import * as store from '../../shared/order/store';
import { photoIds, startPhotoChecks } from '../../shared/order/photos';
import { findVolunteer } from '../../shared/user/store';
import { answer, event, orderAction, orderId, present, type Loaded, type LoadedOrder } from './common';
import { autoDispatch } from '../../shared/order/dispatch';
import { tell, type OrderNews } from '../../shared/order/tell';

type A = OrderApi;

interface Step {
  /** Extra conditions beyond the status, level and assignee the order has now. */
  condition?: Record<string, unknown>;
  set: Partial<OrderDoc>;
  event: EventDoc;
  /** Volunteers' counters that change with the transition, in the same transaction. */
  counters?: store.CounterChange[];
  /** Whom to tell, once the transition has won (and again on a retry: messages are stored once). */
  news: OrderNews;
  /** Offer the order to the next candidate where the station dispatches automatically. */
  autoDispatch?: boolean;
}

/**
 * True when the order is already where this very request would have taken it: the last event is this
 * caller's of this kind, and it did what was asked (not, say, an approval when a rejection is asked).
 */
function alreadyDone(o: OrderDoc, act: OrderAction, openid: string, intent: (o: OrderDoc) => boolean): boolean {
  const last = o.events[o.events.length - 1];
  return !!last && last.by === openid && eventTypesOf(act).includes(last.type as OrderEventType) && intent(o);
}

async function followUps(
  o: OrderDoc,
  news: OrderNews,
  dispatchNext: boolean,
  settings: Loaded['settings'],
  now: Date,
): Promise<void> {
  // The transition has happened; telling people and offering it on must not turn it into an error.
  try {
    await tell(o, news, now);
    if (dispatchNext) await autoDispatch(o, settings, now);
  } catch (e) {
    console.error(`follow-ups of ${news} for order ${o._id} failed`, e);
  }
}

async function perform(
  ctx: ActionContext,
  loaded: LoadedOrder,
  act: OrderAction,
  intent: (o: OrderDoc) => boolean,
  build: (l: LoadedOrder) => Promise<Step> | Step,
): Promise<Order> {
  const { order, viewer, settings, relations } = loaded;
  const retried = async (o: OrderDoc) => {
    const last = o.events[o.events.length - 1];
    const news =
      (
        { reviewed: 'reviewed', rejected: 'rejected', claimed: 'accepted', accepted: 'accepted' } as Record<
          string,
          OrderNews
        >
      )[last.type] ?? (last.type as OrderNews);
    await followUps(o, news, act === 'review' || act === 'decline' || act === 'reopen', settings, ctx.now);
    return present(o, viewer, settings, ctx.now);
  };
  const refused = refusal(order, act, relations, viewer, settings, ctx.now);
  if (refused) {
    // This very request happened already (its answer was lost): answer it as done.
    if (alreadyDone(order, act, ctx.openid, intent)) return retried(order);
    throw new AppError(refused.code, refused.message);
  }
  const step = await build(loaded);
  // What the decision was based on: the status, the level its deadline came from and who holds it (the
  // timer may escalate it or skip its volunteer meanwhile; then this loses, and the caller sees why).
  const condition = {
    status: order.status,
    level: order.level,
    'assignee.openid': order.assignee?.openid ?? null,
    ...step.condition,
  };
  const won = await store.transition(order._id, condition, step.set, step.event, step.counters);
  if (!won) {
    const now = await store.findOrder(order._id);
    if (now && alreadyDone(now, act, ctx.openid, intent)) return retried(now);
    throw new AppError('CONFLICT');
  }
  const after = { ...order, ...step.set, events: [...order.events, step.event] } as OrderDoc;
  await followUps(after, step.news, !!step.autoDispatch, settings, ctx.now);
  return answer(ctx, order._id);
}

const reason = z.string().check(z.trim(), z.minLength(2), z.maxLength(200));

export const review = orderAction<A['review']['req'], A['review']['res']>({
  input: z.strictObject({ id: orderId, approve: z.boolean(), reason: z.optional(reason) }),
  as: ['dispatcher'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'review',
      (o) => o.status === (req.approve ? 'open' : 'rejected') || (req.approve && o.events.at(-1)?.type === 'reviewed'),
      async ({ order, viewer, settings }) => {
        if (!req.approve && !req.reason) {
          throw new AppError('INVALID_ARGUMENT', '不通过时请写明原因，群众能看到。', ['reason: required to reject']);
        }
        await checkText(ctx.openid, [req.reason], 2);
        const to = req.approve ? 'open' : 'rejected';
        return {
          set: {
            status: to,
            dueAt: req.approve ? dueAt('open', order.level, settings, ctx.now) : null,
            overdue: false,
          },
          event: event(req.approve ? 'reviewed' : 'rejected', order.status, to, viewer, ctx.now, req.reason),
          news: req.approve ? 'reviewed' : 'rejected',
          autoDispatch: req.approve,
        };
      },
    ),
});

export const dispatch = orderAction<A['dispatch']['req'], A['dispatch']['res']>({
  input: z.strictObject({ id: orderId, volunteer: id }),
  as: ['dispatcher'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'dispatch',
      (o) => o.assignee?.openid === req.volunteer,
      async ({ order, viewer, settings }) => {
        const v = await findVolunteer(req.volunteer);
        if (!v || v.status !== 'active') throw new AppError('NOT_FOUND', '没有找到这位志愿者。');
        if (!v.areas.includes(order.ownerOrgId) || !v.skills.includes(order.category)) {
          throw new AppError('FAILED_PRECONDITION', '这位志愿者不服务这个地方，或不会这项服务。');
        }
        if (order.passedOver.includes(v.openid)) {
          throw new AppError('FAILED_PRECONDITION', '这位志愿者已经推掉过这个需求，请换一位。');
        }
        if (v.openid === order.requester.openid) throw new AppError('FAILED_PRECONDITION', '不能派给提需求的本人。');
        return {
          set: {
            status: 'dispatched',
            assignee: { openid: v.openid, name: v.name },
            acceptBy: acceptBy(settings, ctx.now),
          },
          event: event('dispatched', 'open', 'dispatched', viewer, ctx.now, `派给${v.name}`),
          counters: [{ openid: v.openid, inc: { load: 1 } }],
          news: 'dispatched',
        };
      },
    ),
});

export const accept = orderAction<A['accept']['req'], A['accept']['res']>({
  input: z.strictObject({ id: orderId }),
  as: ['assignee', 'areaVolunteer'],
  run: (ctx, _req, loaded) =>
    perform(
      ctx,
      loaded,
      'accept',
      (o) => o.status === 'accepted' && o.assignee?.openid === ctx.openid,
      async ({ order, viewer, settings }) => {
        const claim = order.status === 'open';
        return {
          set: {
            status: 'accepted',
            assignee: { openid: ctx.openid, name: viewer.name },
            acceptBy: null,
            dueAt: dueAt('accepted', order.level, settings, ctx.now),
            overdue: false,
          },
          event: event(claim ? 'claimed' : 'accepted', order.status, 'accepted', viewer, ctx.now),
          // Claiming from the hall is capped, in the same transaction, so no account takes a county's wishes.
          counters: claim ? [{ openid: ctx.openid, inc: { load: 1 }, loadBelow: MAX_CLAIMED }] : [],
          news: 'accepted',
        };
      },
    ),
});

export const decline = orderAction<A['decline']['req'], A['decline']['res']>({
  input: z.strictObject({ id: orderId, reason }),
  as: ['assignee'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'decline',
      (o) => o.passedOver.includes(ctx.openid),
      async ({ order, viewer, settings }) => {
        await checkText(ctx.openid, [req.reason], 2);
        return {
          set: {
            status: 'open',
            assignee: null,
            acceptBy: null,
            passedOver: [...order.passedOver, ctx.openid],
            dueAt: dueAt('open', order.level, settings, ctx.now),
            overdue: false,
          },
          event: event('declined', order.status, 'open', viewer, ctx.now, req.reason),
          counters: [{ openid: ctx.openid, inc: { load: -1 } }],
          news: 'declined',
          autoDispatch: true,
        };
      },
    ),
});

export const fulfil = orderAction<A['fulfil']['req'], A['fulfil']['res']>({
  input: z.strictObject({
    id: orderId,
    note: z.string().check(z.trim(), z.minLength(2), z.maxLength(500)),
    photos: photoIds,
  }),
  as: ['assignee'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'fulfil',
      (o) => o.status !== 'accepted',
      async ({ viewer, settings }) => {
        await checkText(ctx.openid, [req.note], 2);
        const photos = await startPhotoChecks(req.photos ?? [], ctx.openid, 2);
        return {
          set: {
            status: 'fulfilled',
            fulfilledAt: ctx.now,
            fulfilment: { note: req.note, photos, at: ctx.now },
            dueAt: null,
            overdue: false,
            rateBy: rateBy(settings, ctx.now),
          },
          event: event('fulfilled', 'accepted', 'fulfilled', viewer, ctx.now, req.note),
          counters: [{ openid: ctx.openid, inc: { load: -1 } }],
          news: 'fulfilled',
        };
      },
    ),
});

export const rate = orderAction<A['rate']['req'], A['rate']['res']>({
  input: z.strictObject({
    id: orderId,
    stars: z.int().check(z.gte(1), z.lte(5)),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  }),
  as: ['requester'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'rate',
      (o) => o.rating?.stars === req.stars && !o.rating.auto,
      async ({ order, viewer }) => {
        await checkText(ctx.openid, [req.comment], 2);
        return {
          set: {
            status: 'closed',
            rating: { stars: req.stars, comment: req.comment || null, auto: false, at: ctx.now },
            rateBy: null,
          },
          event: event(
            'rated',
            'fulfilled',
            'closed',
            viewer,
            ctx.now,
            `${req.stars}星${req.comment ? `：${req.comment}` : ''}`,
          ),
          counters: order.assignee
            ? [{ openid: order.assignee.openid, inc: { ratingSum: req.stars, ratingCount: 1 } }]
            : [],
          news: 'rated',
        };
      },
    ),
});

export const cancel = orderAction<A['cancel']['req'], A['cancel']['res']>({
  input: z.strictObject({ id: orderId }),
  as: ['requester'],
  run: (ctx, _req, loaded) =>
    perform(
      ctx,
      loaded,
      'cancel',
      (o) => o.status === 'cancelled',
      ({ order, viewer }) => ({
        // The volunteer stays on record as whom it was dispatched to, so the cancellation reaches them.
        set: { status: 'cancelled', dueAt: null, acceptBy: null, overdue: false },
        event: event('cancelled', order.status, 'cancelled', viewer, ctx.now),
        counters:
          order.status === 'dispatched' && order.assignee ? [{ openid: order.assignee.openid, inc: { load: -1 } }] : [],
        news: 'cancelled',
      }),
    ),
});

export const reopen = orderAction<A['reopen']['req'], A['reopen']['res']>({
  input: z.strictObject({ id: orderId, reason }),
  as: ['requester'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'reopen',
      (o) => o.status !== 'closed' && o.status !== 'fulfilled',
      async ({ order, viewer, settings }) => {
        await checkText(ctx.openid, [req.reason], 2);
        const previous = order.assignee;
        return {
          set: {
            status: 'open',
            assignee: null,
            rating: null,
            rateBy: null,
            passedOver: previous ? [...order.passedOver, previous.openid] : order.passedOver,
            dueAt: dueAt('open', order.level, settings, ctx.now),
            overdue: false,
          },
          event: event(
            'reopened',
            order.status,
            'open',
            viewer,
            ctx.now,
            `${req.reason}${previous ? `（原志愿者：${previous.name}）` : ''}`,
          ),
          // A rating given to a wish that was not really fulfilled no longer counts.
          counters:
            previous && order.rating
              ? [{ openid: previous.openid, inc: { ratingSum: -order.rating.stars, ratingCount: -1 } }]
              : [],
          news: 'reopened',
          autoDispatch: true,
        };
      },
    ),
});
