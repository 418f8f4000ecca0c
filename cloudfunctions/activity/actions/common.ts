/** What the activity actions share: ids, the organisers, loading an activity, answering a refusal. */
import type { Role } from '../../../typings/domain';
import type { ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { coveringRoles } from '../../shared/auth/guard';
import { ACTIVITY_ID } from '../../shared/activity/code';
import { isRefused, type Refused } from '../../shared/activity/decide';
import type { ActivityDoc } from '../../shared/activity/model';
import { findActivity } from '../../shared/activity/store';

export const ORGANISERS: readonly Role[] = ['stationHead', 'instituteAdmin', 'centerAdmin'];
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

/** The scoped target of an action on one activity: its point's path. */
export async function activityTarget(req: { id: string }): Promise<string[] | null> {
  const a = await findActivity(req.id);
  return a ? a.path : null;
}

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
