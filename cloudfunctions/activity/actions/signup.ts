/**
 * Sign-up and its cancelling. The seat is taken by a conditional increment (seats left > 0), so the
 * last place goes to exactly one person; the person's own sign-up document (keyed activity:openid)
 * makes a double tap or a retry take one seat.
 */
import type { ActivityApi } from '../../../typings/activity';
import { action, type ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { decideCancelSignup, decideSignup } from '../../shared/activity/domain/decide';
import { checkinId, toActivity } from '../../shared/activity/domain/model';
import * as store from '../../shared/activity/store';
import { activityId, isVolunteer, manages, mustActivity, orFail } from './common';

type A = ActivityApi;

async function answer(ctx: ActionContext, id: string) {
  const a = await mustActivity(id);
  const key = checkinId(id, ctx.openid);
  const [signup, checkin, manage] = await Promise.all([
    store.findSignup(key),
    store.findCheckin(key),
    manages(ctx, a.path),
  ]);
  return toActivity(a, { signup, checkin }, manage);
}

export const signup = action<A['signup']['req'], A['signup']['res']>({
  input: z.strictObject({ id: activityId }),
  access: 'self',
  async run(ctx, req) {
    const key = checkinId(req.id, ctx.openid);
    // One round trip of reads, the check-in for the answer among them.
    const [a, before, caller, volunteer, checkin] = await Promise.all([
      mustActivity(req.id),
      store.findSignup(key),
      ctx.caller(),
      isVolunteer(ctx),
      store.findCheckin(key),
    ]);
    if (orFail(decideSignup(a, before, volunteer, ctx.now)) === 'take') {
      if (!(await store.takeSeat(a._id, ctx.now))) {
        // The seats went meanwhile — perhaps to this person's own double tap, which then stands.
        if ((await store.findSignup(key))?.status !== 'signed')
          throw new AppError('FAILED_PRECONDITION', '名额已经满了，下次早点报名吧。');
        return answer(ctx, req.id);
      }
      const doc = {
        _id: key,
        activityId: a._id,
        openid: ctx.openid,
        status: 'signed' as const,
        name: caller.name ?? '志愿者',
        at: ctx.now,
      };
      // Someone else (this person's own retry) signed them up meanwhile: give this seat back.
      if (!(await store.claimSignup(doc, before))) {
        await store.releaseSeat(a._id);
        return answer(ctx, req.id);
      }
      // The sign-up as written; the activity read once more (its seat counts moved by an increment).
      const after = await mustActivity(req.id);
      return toActivity(after, { signup: { ...before, ...doc }, checkin }, await manages(ctx, after.path));
    }
    // Nothing written (already signed up): answered as read.
    return toActivity(a, { signup: before, checkin }, await manages(ctx, a.path));
  },
});

export const cancelSignup = action<A['cancelSignup']['req'], A['cancelSignup']['res']>({
  input: z.strictObject({ id: activityId }),
  access: 'self',
  async run(ctx, req) {
    const key = checkinId(req.id, ctx.openid);
    // One round trip of reads (the check-in and the caller for the answer among them); the answer is then
    // what was read with what this call wrote: the sign-up as set, and the activity read once more, as
    // its seat counts move by increments that only the database can add up.
    const [a, before, checkin, settings] = await Promise.all([
      mustActivity(req.id),
      store.findSignup(key),
      store.findCheckin(key),
      store.loadSettings(ctx.now.getTime()),
      ctx.caller(),
    ]);
    let activity = a;
    let signup = before;
    if (orFail(decideCancelSignup(a, before, ctx.now, settings)) === 'release') {
      // Cancelled meanwhile by a twin request: answered as it stands.
      if (!before || !(await store.releaseSignup(key, ctx.now))) return answer(ctx, req.id);
      signup = { ...before, status: 'cancelled', at: ctx.now };
      await store.releaseSeat(a._id);
      activity = await mustActivity(req.id);
    }
    return toActivity(activity, { signup, checkin }, await manages(ctx, activity.path));
  },
});
