/**
 * The transitions people make: review, dispatch, accept (or claim), decline, fulfil, rate, cancel,
 * reopen. Each is checked against the state machine, then applied as one conditional update on the
 * status it starts from; the loser of a race gets CONFLICT, and a retry of a transition that already
 * happened answers the order as it is.
 */
import type { Order, OrderAction, OrderApi } from '../../../typings/api';
import { action, type ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import * as z from 'zod/mini';
import { acceptBy, check, dueAt, rateBy, TRANSITIONS } from '../../shared/order/machine';
import type { EventDoc, OrderDoc } from '../../shared/order/model';
import * as store from '../../shared/order/store';
import { MAX_PHOTOS, startPhotoChecks } from '../../shared/order/photos';
import { findVolunteer } from '../../shared/user/store';
import { answer, event, load, orderId, present, type Loaded } from './common';
import { autoDispatch } from '../../shared/order/dispatch';
import { tell } from '../../shared/order/tell';

type A = OrderApi;

interface Step {
  /** Extra conditions beyond the status the order is in now. */
  condition?: Record<string, unknown>;
  set: Partial<OrderDoc>;
  event: EventDoc;
  /** Follow-ups once the transition has won: counters, notifications, automatic dispatch. */
  after?: (o: OrderDoc) => Promise<void>;
}

/** True when the order is already where this caller's `action` would have taken it (a retry). */
function alreadyDone(o: OrderDoc, act: OrderAction, openid: string): boolean {
  const last = o.events[o.events.length - 1];
  const typeOf: Record<OrderAction, string[]> = {
    review: ['reviewed', 'rejected'],
    dispatch: ['dispatched'],
    accept: ['accepted', 'claimed'],
    decline: ['declined'],
    fulfil: ['fulfilled'],
    rate: ['rated'],
    cancel: ['cancelled'],
    reopen: ['reopened'],
  };
  return !!last && last.by === openid && typeOf[act].includes(last.type);
}

async function perform(
  ctx: ActionContext,
  id: string,
  act: OrderAction,
  build: (l: Loaded) => Promise<Step> | Step,
): Promise<Order> {
  const loaded = await load(ctx, id);
  const { order, viewer, settings } = loaded;
  const why = check(order, act, viewer, settings, ctx.now);
  if (why) {
    if (alreadyDone(order, act, ctx.openid)) return present(order, viewer, settings, ctx.now);
    if (!TRANSITIONS[act].from.includes(order.status)) throw new AppError('CONFLICT', why);
    throw new AppError('FORBIDDEN', why);
  }
  const step = await build(loaded);
  // The condition is what the decision was based on: the status, and the level its deadline came from
  // (the timer may escalate the order meanwhile; then this loses, and the caller sees the new state).
  const won = await store.transition(
    order._id,
    { status: order.status, level: order.level, ...step.condition },
    step.set,
    step.event,
  );
  if (!won) {
    const now = await store.findOrder(order._id);
    if (now && alreadyDone(now, act, ctx.openid)) return present(now, viewer, settings, ctx.now);
    throw new AppError('CONFLICT');
  }
  const after = { ...order, ...step.set, events: [...order.events, step.event] } as OrderDoc;
  await step.after?.(after);
  return answer(ctx, order._id);
}

const reason = z.string().check(z.trim(), z.minLength(2), z.maxLength(200));

export const review = action<A['review']['req'], A['review']['res']>({
  input: z.strictObject({ id: orderId, approve: z.boolean(), reason: z.optional(reason) }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'review', async ({ order, viewer, settings }) => {
      if (!req.approve && !req.reason)
        throw new AppError('INVALID_ARGUMENT', '不通过时请写明原因，群众能看到。', ['reason: required to reject']);
      await checkText(ctx.openid, [req.reason], 2);
      const to = req.approve ? 'open' : 'rejected';
      return {
        set: { status: to, dueAt: req.approve ? dueAt('open', order.level, settings, ctx.now) : null },
        event: event(req.approve ? 'reviewed' : 'rejected', order.status, to, viewer, ctx.now, req.reason),
        after: async (o) => {
          await tell(o, req.approve ? 'reviewed' : 'rejected', ctx.now);
          if (req.approve) await autoDispatch(o, settings, ctx.now);
        },
      };
    }),
});

export const dispatch = action<A['dispatch']['req'], A['dispatch']['res']>({
  input: z.strictObject({ id: orderId, volunteer: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)) }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'dispatch', async ({ order, viewer, settings }) => {
      const v = await findVolunteer(req.volunteer);
      if (!v || v.status !== 'active') throw new AppError('NOT_FOUND', '没有找到这位志愿者。');
      if (!v.areas.includes(order.ownerOrgId) || !v.skills.includes(order.category)) {
        throw new AppError('FAILED_PRECONDITION', '这位志愿者不服务这个地方，或不会这项服务。');
      }
      if (order.passedOver.includes(v.openid))
        throw new AppError('FAILED_PRECONDITION', '这位志愿者已经推掉过这个需求，请换一位。');
      if (v.openid === order.requester.openid) throw new AppError('FAILED_PRECONDITION', '不能派给提需求的本人。');
      return {
        set: {
          status: 'dispatched',
          assignee: { openid: v.openid, name: v.name },
          acceptBy: acceptBy(settings, ctx.now),
        },
        event: event('dispatched', 'open', 'dispatched', viewer, ctx.now, `派给${v.name}`),
        after: async (o) => {
          await store.adjustVolunteer(v.openid, { load: 1 });
          await tell(o, 'dispatched', ctx.now);
        },
      };
    }),
});

export const accept = action<A['accept']['req'], A['accept']['res']>({
  input: z.strictObject({ id: orderId }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'accept', ({ order, viewer, settings }) => {
      const claim = order.status === 'open';
      return {
        condition: claim ? {} : { 'assignee.openid': ctx.openid },
        set: {
          status: 'accepted',
          assignee: { openid: ctx.openid, name: viewer.name },
          acceptBy: null,
          dueAt: dueAt('accepted', order.level, settings, ctx.now),
        },
        event: event(claim ? 'claimed' : 'accepted', order.status, 'accepted', viewer, ctx.now),
        after: async (o) => {
          if (claim) await store.adjustVolunteer(ctx.openid, { load: 1 });
          await tell(o, 'accepted', ctx.now);
        },
      };
    }),
});

export const decline = action<A['decline']['req'], A['decline']['res']>({
  input: z.strictObject({ id: orderId, reason }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'decline', async ({ order, viewer, settings }) => {
      await checkText(ctx.openid, [req.reason], 2);
      return {
        condition: { 'assignee.openid': ctx.openid },
        set: {
          status: 'open',
          assignee: null,
          acceptBy: null,
          passedOver: [...order.passedOver, ctx.openid],
          dueAt: dueAt('open', order.level, settings, ctx.now),
        },
        event: event('declined', order.status, 'open', viewer, ctx.now, req.reason),
        after: async (o) => {
          await store.adjustVolunteer(ctx.openid, { load: -1 });
          await tell(o, 'declined', ctx.now);
          await autoDispatch(o, settings, ctx.now);
        },
      };
    }),
});

export const fulfil = action<A['fulfil']['req'], A['fulfil']['res']>({
  input: z.strictObject({
    id: orderId,
    note: z.string().check(z.trim(), z.minLength(2), z.maxLength(500)),
    photos: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(300))).check(z.maxLength(MAX_PHOTOS))),
  }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'fulfil', async ({ viewer, settings }) => {
      await checkText(ctx.openid, [req.note], 2);
      const photos = await startPhotoChecks(req.photos ?? [], ctx.openid, 2);
      return {
        condition: { 'assignee.openid': ctx.openid },
        set: {
          status: 'fulfilled',
          fulfilledAt: ctx.now,
          fulfilment: { note: req.note, photos, at: ctx.now },
          dueAt: null,
          rateBy: rateBy(settings, ctx.now),
        },
        event: event('fulfilled', 'accepted', 'fulfilled', viewer, ctx.now, req.note),
        after: async (o) => {
          await store.adjustVolunteer(ctx.openid, { load: -1 });
          await tell(o, 'fulfilled', ctx.now);
        },
      };
    }),
});

export const rate = action<A['rate']['req'], A['rate']['res']>({
  input: z.strictObject({
    id: orderId,
    stars: z.int().check(z.gte(1), z.lte(5)),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'rate', async ({ viewer }) => {
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
        after: async (o) => {
          if (o.assignee) await store.adjustVolunteer(o.assignee.openid, { ratingSum: req.stars, ratingCount: 1 });
          await tell(o, 'rated', ctx.now);
        },
      };
    }),
});

export const cancel = action<A['cancel']['req'], A['cancel']['res']>({
  input: z.strictObject({ id: orderId }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'cancel', ({ order, viewer }) => ({
      set: { status: 'cancelled', dueAt: null, acceptBy: null },
      event: event('cancelled', order.status, 'cancelled', viewer, ctx.now),
      after: async (o) => {
        if (order.status === 'dispatched' && order.assignee)
          await store.adjustVolunteer(order.assignee.openid, { load: -1 });
        await tell({ ...o, assignee: order.assignee }, 'cancelled', ctx.now);
      },
    })),
});

export const reopen = action<A['reopen']['req'], A['reopen']['res']>({
  input: z.strictObject({ id: orderId, reason }),
  access: 'anyone',
  run: (ctx, req) =>
    perform(ctx, req.id, 'reopen', async ({ order, viewer, settings }) => {
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
        },
        event: event('reopened', order.status, 'open', viewer, ctx.now, req.reason),
        after: async (o) => {
          // A rating given to a wish that was not really fulfilled no longer counts.
          if (previous && order.rating)
            await store.adjustVolunteer(previous.openid, { ratingSum: -order.rating.stars, ratingCount: -1 });
          await tell({ ...o, assignee: previous }, 'reopened', ctx.now);
          await autoDispatch(o, settings, ctx.now);
        },
      };
    }),
});
