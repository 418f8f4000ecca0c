/**
 * The rotating code and the scan. `code` shows an organiser the current signed code; `scan` checks the
 * caller in or out with it. Every refusal is recorded as an attempt and changes nothing else. The first
 * scan costs three database operations (activity, sign-up, the check-in insert the unique index
 * settles); a check-out a transaction more; settings are read once a minute per instance.
 */
import { randomBytes } from 'node:crypto';
import { ACTIVITY_LIMITS, type ActivityApi, type Refusal, type ScanResult } from '../../../typings/activity';
import { action, type ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { location as locationSchema } from '../../shared/org/schemas';
import { getOrg } from '../../shared/org/store';
import { checkinScene, readScene } from '../../shared/activity/domain/code';
import {
  decideReview,
  decideScan,
  REFUSAL_MESSAGES,
  type ScanDecision,
  type ScanFacts,
} from '../../shared/activity/domain/decide';
import { checkinId, toRosterEntry } from '../../shared/activity/domain/model';
import * as store from '../../shared/activity/store';
import { convertHours } from '../../shared/integral/convert';
import { activityAction, activityId, checkinAction, isoTime, isVolunteer, orFail } from './common';

type A = ActivityApi;

export const code = activityAction<A['code']['req'], A['code']['res']>({
  input: z.strictObject({ id: activityId, image: z.optional(z.boolean()) }),
  as: ['organiser'],
  async run(ctx, req, { activity: a }) {
    if (a.status === 'cancelled') throw new AppError('FAILED_PRECONDITION', '活动已经取消，不能再签到。');
    const { scene, validUntil } = checkinScene(a, ctx.now);
    const image = req.image ? await store.codeImage(scene) : undefined;
    return {
      scene,
      validUntil: validUntil.toISOString(),
      now: ctx.now.toISOString(),
      slotSeconds: a.slotSeconds,
      ...(image ? { image } : {}),
    };
  },
});

const CODE_OF: Record<Refusal, 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION'> = {
  malformed: 'INVALID_ARGUMENT',
  unknown: 'INVALID_ARGUMENT',
  forged: 'INVALID_ARGUMENT',
  future: 'INVALID_ARGUMENT',
  expired: 'FAILED_PRECONDITION',
  notStarted: 'FAILED_PRECONDITION',
  ended: 'FAILED_PRECONDITION',
  cancelled: 'FAILED_PRECONDITION',
  notSignedUp: 'FAILED_PRECONDITION',
  notVolunteer: 'FAILED_PRECONDITION',
  checkedOut: 'FAILED_PRECONDITION',
  tooLate: 'FAILED_PRECONDITION',
};

type ScanReq = A['scan']['req'];

/** Records the refused scan, then answers the refusal (its reason in details, for the page). */
async function refuse(ctx: ActionContext, req: ScanReq, activity: string | null, reason: Refusal): Promise<never> {
  await store.recordAttempt({
    _id: randomBytes(12).toString('hex'),
    activityId: activity,
    openid: ctx.openid,
    reason,
    scene: req.scene.slice(0, 64),
    at: ctx.now,
    location: req.location ?? null,
  });
  throw new AppError(CODE_OF[reason], REFUSAL_MESSAGES[reason], [`refused: ${reason}`]);
}

export const scan = action<A['scan']['req'], A['scan']['res']>({
  input: z.strictObject({
    scene: z.string().check(z.minLength(1), z.maxLength(400)),
    location: z.optional(locationSchema),
    scannedAt: z.optional(isoTime),
  }),
  access: 'self',
  async run(ctx, req): Promise<ScanResult> {
    const parsed = readScene(req.scene);
    if (!parsed) return refuse(ctx, req, null, 'malformed');
    if (parsed.kind === 'point') {
      const point = await getOrg(parsed.pointId);
      if (!point) throw new AppError('NOT_FOUND', '没有找到这个实践点。');
      return { result: 'point', pointId: point._id, message: `这是“${point.name}”的码，不是签到码。` };
    }
    const key = checkinId(parsed.activityId, ctx.openid);
    // The sign-up is read beside the activity (one round trip): most activities scanned ask for one.
    const [activity, settings, signup] = await Promise.all([
      store.findActivity(parsed.activityId),
      store.loadSettings(ctx.now.getTime()),
      store.findSignup(key),
    ]);
    if (!activity) return refuse(ctx, req, null, 'unknown');
    const caller = activity.signupRequired
      ? { signup, name: signup?.name ?? '', isVolunteer: true }
      : await ctx
          .caller()
          .then(async (c) => ({ signup: undefined, name: c.name ?? '群众', isVolunteer: await isVolunteer(ctx) }));
    const facts: ScanFacts = {
      activity,
      scene: parsed,
      signup: caller.signup,
      caller: { openid: ctx.openid, name: caller.name, isVolunteer: caller.isVolunteer },
      location: req.location,
      scannedAt: req.scannedAt ? new Date(req.scannedAt) : undefined,
      now: ctx.now,
      settings,
    };
    // Most scans are first scans: try the check-in straight away, and read the existing one only
    // when the unique index says there is one.
    let decision: ScanDecision = decideScan(facts);
    for (let round = 0; round < 3; round += 1) {
      if (decision.kind === 'refuse') return refuse(ctx, req, activity._id, decision.reason);
      const late =
        !!facts.scannedAt && decision.kind !== 'already' && ctx.now.getTime() - facts.scannedAt.getTime() > 60_000;
      const answer = (result: 'in' | 'out' | 'already', flagged: boolean, minutes?: number): ScanResult => ({
        result,
        activityId: activity._id,
        title: activity.title,
        message: decision.message,
        late,
        flagged,
        ...(minutes === undefined ? {} : { minutes }),
      });
      if (decision.kind === 'already') return answer('already', false);
      if (decision.kind === 'in') {
        if (await store.insertCheckin(decision.doc, activity.path))
          return answer('in', decision.doc.review === 'pending');
      } else if (await store.changeCheckin(key, { state: 'in' }, decision.set, decision.hours)) {
        // Hours recorded: into points for the volunteer's household (a follow-up that never fails the scan).
        if (decision.hours) await convertHours(decision.hours, ctx.now);
        return answer('out', decision.set.review === 'pending', decision.set.minutes ?? 0);
      }
      decision = decideScan({ ...facts, checkin: await store.findCheckin(key) });
    }
    throw new AppError('CONFLICT');
  },
});

export const review = checkinAction<A['review']['req'], A['review']['res']>({
  input: z.strictObject({
    checkinId: z.string().check(z.regex(/^[0-9a-z]{10}:[A-Za-z0-9_-]{1,64}$/, 'a check-in id')),
    accept: z.boolean(),
    reason: z.optional(z.string().check(z.trim(), z.maxLength(ACTIVITY_LIMITS.reasonMax))),
  }),
  as: ['organiser'],
  async run(ctx, req, { activity: a, checkin: c }) {
    const { set, hours } = orFail(decideReview(a, c, req.accept, ctx.openid, ctx.now));
    if (!(await store.changeCheckin(c._id, { review: 'pending', state: c.state }, set, hours)))
      throw new AppError('CONFLICT', '这条签到刚刚有了变化，请刷新后再看。');
    if (hours) await convertHours(hours, ctx.now);
    return toRosterEntry({ ...c, ...set });
  },
});
