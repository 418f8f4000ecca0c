/**
 * The transitions people make: review, dispatch, accept (or claim), decline, fulfil, rate, cancel,
 * reopen. What each changes is decided by the order domain (domain/decide.ts); this shell only gathers
 * what the decision needs (the content check, the photos' checks, the volunteer dispatched to), applies
 * the change on the condition that the order is still as the decision read it (store.apply) and runs
 * the follow-ups. The loser of a race gets CONFLICT. A retry of a transition that already happened
 * answers the order as it is, and finishes its follow-ups (messages, automatic dispatch), which are safe
 * to run twice.
 */
import type { Order, OrderAction, OrderApi } from '../../../typings/api';
import { eventTypesOf, type OrderEventType, type OrderSettings } from '../../../typings/order';
import type { ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import * as z from 'zod/mini';
import { cleanText, id } from '../../shared/runtime/validate';
import { refusal } from '../../shared/order/domain/machine';
import { applied, decide, type TransitionInput } from '../../shared/order/domain/decide';
import type { OrderDoc } from '../../shared/order/domain/model';
import * as store from '../../shared/order/store';
import { markRevealDeclined } from '../../shared/order/store-records';
import { photoIds, startPhotoChecks } from '../../shared/order/photos';
import { findUser, findVolunteer, noteDeclineAfterReveal } from '../../shared/user/store';
import { spendToday } from '../../shared/runtime/counters';
import { VOLUNTEER_LIMITS } from '../../../typings/domain';
import { answer, orderAction, orderId, present, type LoadedOrder } from './common';
import { autoDispatch } from '../../shared/order/dispatch';
import { tell } from '../../shared/order/tell';
import { getOrg } from '../../shared/org/store';
import type { OrgDoc } from '../../shared/org/domain/model';
import { convertRating } from '../../shared/integral/convert';

type A = OrderApi;

/**
 * True when the order is already where this very request would have taken it: the last event is this
 * caller's of this kind, and it did what was asked (not, say, an approval when a rejection is asked).
 */
function alreadyDone(o: OrderDoc, act: OrderAction, openid: string, intent: (o: OrderDoc) => boolean): boolean {
  const last = o.events[o.events.length - 1];
  return !!last && last.by === openid && eventTypesOf(act).includes(last.type as OrderEventType) && intent(o);
}

/**
 * Telling people and offering the order on: once the transition has won, never turned into an error.
 * `station`: the order's station as read before the change (null: gone), when it was: one that does not
 * dispatch automatically is not read again.
 */
async function followUps(
  o: OrderDoc,
  offerOn: boolean,
  settings: OrderSettings,
  now: Date,
  station?: OrgDoc | null,
): Promise<void> {
  try {
    await tell(o, now);
    if (offerOn && (station === undefined || station?.autoDispatch)) await autoDispatch(o, settings, now);
  } catch (e) {
    console.error(`follow-ups of ${o.events.at(-1)?.type} for order ${o._id} failed`, e);
  }
}

const OFFERS_ON: readonly OrderAction[] = ['review', 'decline', 'reopen'];

async function perform<Act extends OrderAction>(
  ctx: ActionContext,
  loaded: LoadedOrder,
  act: Act,
  intent: (o: OrderDoc) => boolean,
  prepare: () => Promise<TransitionInput[Act]>,
): Promise<Order> {
  const { order, viewer, settings, relations } = loaded;
  const retried = async (o: OrderDoc) => {
    await followUps(o, OFFERS_ON.includes(act), settings, ctx.now);
    return present(o, viewer, settings, ctx.now);
  };
  const caller = { ...viewer, relations };
  // Who and when first (no content check is spent on a request that may not be made), then what.
  const refused = refusal(order, act, relations, viewer, settings, ctx.now);
  if (refused) {
    // This very request happened already (its answer was lost): answer it as done.
    if (alreadyDone(order, act, ctx.openid, intent)) return retried(order);
    throw new AppError(refused.code, refused.message);
  }
  // What the decision needs, and (for a step that may offer the order on) whether its station
  // dispatches automatically, in one round trip before the change.
  const [input, station] = await Promise.all([
    prepare(),
    OFFERS_ON.includes(act) ? getOrg(order.stationId).then((d) => d ?? null) : Promise.resolve(undefined),
  ]);
  const decision = decide(act, order, caller, input, settings, ctx.now);
  if ('refused' in decision) {
    throw new AppError(decision.refused.code, decision.refused.message, decision.refused.details);
  }
  const { change } = decision;
  const won = await store.applyAnswered(order._id, change);
  if (won === false) {
    const now = await store.findOrder(order._id);
    if (now && alreadyDone(now, act, ctx.openid, intent)) return retried(now);
    throw new AppError('CONFLICT');
  }
  await followUps(won === true ? applied(order, change) : won, change.offerOn, settings, ctx.now, station);
  // Written in a transaction, the order is answered as written (nothing read after); written by a
  // conditional update alone, other fields may have moved beside it: it is read again.
  return won === true ? answer(ctx, order._id) : present(won, viewer, settings, ctx.now);
}

const reason = z.string().check(...cleanText, z.minLength(2), z.maxLength(200));
const nothing = async () => ({});

export const review = orderAction<A['review']['req'], A['review']['res']>({
  input: z.strictObject({ id: orderId, approve: z.boolean(), reason: z.optional(reason) }),
  as: ['dispatcher'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'review',
      (o) => o.status === (req.approve ? 'open' : 'rejected') || (req.approve && o.events.at(-1)?.type === 'reviewed'),
      async () => {
        if (req.reason) await checkText(ctx.openid, [req.reason], 2);
        return { approve: req.approve, reason: req.reason };
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
      async () => ({ volunteer: await findVolunteer(req.volunteer) }),
    ),
});

export const accept = orderAction<A['accept']['req'], A['accept']['res']>({
  input: z.strictObject({ id: orderId }),
  as: ['assignee', 'areaVolunteer'],
  run: (ctx, _req, loaded) =>
    perform(ctx, loaded, 'accept', (o) => o.status === 'accepted' && o.assignee?.openid === ctx.openid, nothing),
});

/**
 * Declines are limited per day (spent only by a decline that may be made now, not by a retry), and one
 * that follows a sight of the contact counts towards flagging the volunteer to their station heads.
 */
export const decline = orderAction<A['decline']['req'], A['decline']['res']>({
  input: z.strictObject({ id: orderId, reason }),
  as: ['assignee'],
  async run(ctx, req, loaded) {
    const declined = await perform(
      ctx,
      loaded,
      'decline',
      (o) => o.passedOver.includes(ctx.openid),
      async () => {
        await checkText(ctx.openid, [req.reason], 2);
        if (!(await spendToday('declines', ctx.openid, VOLUNTEER_LIMITS.declinesPerDay, ctx.now))) {
          throw new AppError('RATE_LIMITED', '今天已经推掉好几个任务了，接了的请尽量办好，明天再推吧。');
        }
        return { reason: req.reason };
      },
    );
    if (await markRevealDeclined(req.id, ctx.openid, ctx.now)) await noteDeclineAfterReveal(ctx.openid);
    return declined;
  },
});

export const fulfil = orderAction<A['fulfil']['req'], A['fulfil']['res']>({
  input: z.strictObject({
    id: orderId,
    note: z.string().check(...cleanText, z.minLength(2), z.maxLength(500)),
    photos: photoIds,
    // The time spent, in minutes; the settings' cap (maxServiceMinutes) is the decision's to enforce.
    minutes: z.optional(z.int().check(z.gte(1), z.lte(1440))),
  }),
  as: ['assignee'],
  run: (ctx, req, loaded) =>
    perform(
      ctx,
      loaded,
      'fulfil',
      (o) => o.status !== 'accepted',
      async () => {
        await checkText(ctx.openid, [req.note], 2);
        return {
          note: req.note,
          photos: await startPhotoChecks(req.photos ?? [], ctx.openid, 2),
          minutes: req.minutes ?? null,
        };
      },
    ),
});

export const rate = orderAction<A['rate']['req'], A['rate']['res']>({
  input: z.strictObject({
    id: orderId,
    stars: z.int().check(z.gte(1), z.lte(5)),
    comment: z.optional(z.string().check(...cleanText, z.maxLength(200))),
  }),
  as: ['requester'],
  async run(ctx, req, loaded) {
    // The volunteer's household (where a good rating's points go) is read with the text check.
    const assignee = loaded.order.assignee?.openid;
    let household: string | null | undefined;
    const rated = await perform(
      ctx,
      loaded,
      'rate',
      (o) => o.rating?.stars === req.stars && !o.rating.auto,
      async () => {
        const [, holder] = await Promise.all([
          checkText(ctx.openid, [req.comment], 2),
          assignee ? findUser(assignee) : Promise.resolve(undefined),
        ]);
        household = holder?.householdId ?? null;
        return { stars: req.stars, comment: req.comment };
      },
    );
    // A good rating turns into points for the volunteer's household (once per fulfilment; never fails the rating).
    if (rated.status === 'closed' && rated.rating && !rated.rating.auto && rated.assignee && rated.fulfilment) {
      await convertRating(
        {
          orderId: rated.id,
          fulfilledAt: rated.fulfilment.at,
          openid: rated.assignee.openid,
          stars: rated.rating.stars,
          title: rated.title,
        },
        ctx.now,
        rated.assignee.openid === assignee ? household : undefined,
      );
    }
    return rated;
  },
});

export const cancel = orderAction<A['cancel']['req'], A['cancel']['res']>({
  input: z.strictObject({ id: orderId }),
  as: ['requester'],
  run: (ctx, _req, loaded) => perform(ctx, loaded, 'cancel', (o) => o.status === 'cancelled', nothing),
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
      async () => {
        await checkText(ctx.openid, [req.reason], 2);
        return { reason: req.reason };
      },
    ),
});
