/**
 * What the activity actions share: ids, the organisers, the documents actions are declared on (an
 * activity, a check-in, an hours record — loaded with the caller's relation to them before `run`),
 * answering a refusal.
 */
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { documentAction, type ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { coveringRoles } from '../../shared/auth/domain/guard';
import { ACTIVITY_ID } from '../../shared/activity/domain/code';
import { isRefused, type Refused } from '../../shared/activity/domain/decide';
import type { ActivityDoc, CheckinDoc, HoursDoc } from '../../shared/activity/domain/model';
import { findActivity, findCheckin } from '../../shared/activity/store';
import { findHours } from '../../shared/activity/store-hours';

/** Who organises activities and keeps hours: station heads and above, within their scope. */
export const ORGANISERS = DISPATCHER_ROLES;
export const PAGE = 20;

export const activityId = z.string().check(z.regex(ACTIVITY_ID, 'an activity id'));
export const requestId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'a request id of 8–64 letters, digits, _ or -'));
export const isoTime = z
  .string()
  .check(z.refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'an ISO 8601 time'));

export async function mustActivity(id: string): Promise<ActivityDoc> {
  const a = await findActivity(id);
  if (!a) throw new AppError('NOT_FOUND', '没有找到这个活动。');
  return a;
}

/** How a caller stands to an activity (or its check-ins and hours): its organiser, or not. */
export type ActivityRelation = 'organiser';
const relation = (organiser: boolean): ActivityRelation[] => (organiser ? ['organiser'] : []);

/** An action on one activity; `as: ['organiser']` for those in scope of its point. */
export const activityAction = documentAction<
  { id: string },
  { activity: ActivityDoc; organiser: boolean },
  ActivityRelation
>({
  async load(req, ctx) {
    const activity = await findActivity(req.id);
    return activity && { activity, organiser: await manages(ctx, activity.path) };
  },
  relations: (d) => relation(d.organiser),
  notFound: '没有找到这个活动。',
  forbidden: '您不能管理这个活动。',
});

/** An action on one check-in (its review), by the organisers of its activity. */
export const checkinAction = documentAction<
  { checkinId: string },
  { activity: ActivityDoc; checkin: CheckinDoc; organiser: boolean },
  ActivityRelation
>({
  async load(req, ctx) {
    const [activity, checkin] = await Promise.all([
      findActivity(req.checkinId.split(':')[0]),
      findCheckin(req.checkinId),
    ]);
    return activity && checkin && { activity, checkin, organiser: await manages(ctx, activity.path) };
  },
  relations: (d) => relation(d.organiser),
  notFound: '没有找到这条签到。',
  forbidden: '您不能处理这条签到。',
});

/** An action on one hours record (its correction), by organisers in scope of where it counts. */
export const hoursAction = documentAction<
  { recordId: string },
  { record: HoursDoc; organiser: boolean },
  ActivityRelation
>({
  async load(req, ctx) {
    const record = await findHours(req.recordId);
    return record && { record, organiser: await manages(ctx, record.path) };
  },
  relations: (d) => relation(d.organiser),
  notFound: '没有找到这条时长记录。',
  forbidden: '您不能更正这条时长记录。',
});

/** A refused decision becomes the caller's error; anything else passes through. */
export function orFail<T>(x: T | Refused): T {
  if (isRefused(x)) throw new AppError(x.refused, x.message);
  return x;
}

export async function manages(ctx: ActionContext, path: readonly string[]): Promise<boolean> {
  const { roles } = await ctx.caller();
  return coveringRoles(roles, ORGANISERS, path).length > 0;
}

export async function isVolunteer(ctx: ActionContext): Promise<boolean> {
  return (await ctx.caller()).roles.some((r) => r.role === 'volunteer');
}
