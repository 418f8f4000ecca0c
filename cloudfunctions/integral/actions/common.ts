/** What the integral actions share: field schemas, the caller, households and records in scope. */
import * as z from 'zod/mini';
import { INTEGRAL_LIMITS } from '../../../typings/integral';
import type { ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { getOrg } from '../../shared/org/store';
import { pathOf } from '../../shared/org/model';
import { widestScope } from '../../shared/auth/guard';
import { MANAGERS, manages, mayReadHousehold, type Caller } from '../../shared/integral/decide';
import type { ClaimDoc, HouseholdRef } from '../../shared/integral/model';
import { findClaim, householdRef } from '../../shared/integral/store';

export const recordId = z.string().check(z.regex(/^[A-Za-z0-9_:-]{1,80}$/, 'an id'));
export const requestId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'a request id of 8–64 letters, digits, _ or -'));
export const householdId = z.string().check(z.regex(/^\d{6,12}$/, 'a household number'));
export const page = z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(500)));
export const note = z.string().check(z.trim(), z.minLength(2), z.maxLength(INTEGRAL_LIMITS.noteMax));
export const reason = z.string().check(z.trim(), z.minLength(2), z.maxLength(INTEGRAL_LIMITS.reasonMax));
export const photos = z.optional(
  z.array(z.string().check(z.minLength(1), z.maxLength(300))).check(z.maxLength(INTEGRAL_LIMITS.photos)),
);

export const PAGE_SIZE = 20;

/** One page of a list fetched with one extra: whether there is a next. */
export function paged<T>(docs: T[], pageNo: number): { items: T[]; nextPage: number | null } {
  return { items: docs.slice(0, PAGE_SIZE), nextPage: docs.length > PAGE_SIZE ? pageNo + 1 : null };
}

export async function callerOf(ctx: ActionContext): Promise<Caller> {
  const c = await ctx.caller();
  return { openid: c.openid, name: c.name, roles: c.roles, stationId: c.stationId, householdId: c.householdId };
}

export async function mustHousehold(id: string): Promise<HouseholdRef> {
  const h = await householdRef(id);
  if (!h) throw new AppError('NOT_FOUND', '没有找到这个户号。');
  return h;
}

export async function mustClaim(id: string): Promise<ClaimDoc> {
  const c = await findClaim(id);
  if (!c) throw new AppError('NOT_FOUND', '没有找到这条积分记录。');
  return c;
}

/** The household the caller asks about: their own, or (for a manager in scope) the one named. */
export async function readableHousehold(ctx: ActionContext, id: string | undefined): Promise<HouseholdRef> {
  const caller = await callerOf(ctx);
  const hid = id ?? caller.householdId;
  if (!hid) throw new AppError('FAILED_PRECONDITION', '请先在“我的”里绑定您家的户号。');
  const h = await mustHousehold(hid);
  if (!mayReadHousehold(caller, h)) throw new AppError('FORBIDDEN', '只能查看自己家或本站范围内农户的积分。');
  return h;
}

/** The station (or node) a list is about: the one named, else the caller's own station or widest scope. */
export async function placeOf(ctx: ActionContext, orgId: string | undefined): Promise<{ id: string; path: string[] }> {
  const caller = await callerOf(ctx);
  const id = orgId ?? caller.stationId ?? widestScope(caller.roles, MANAGERS)?.orgId;
  if (!id) throw new AppError('FAILED_PRECONDITION', '请先在“我的”里绑定您所在的村（社区）。');
  const org = await getOrg(id);
  if (!org) throw new AppError('NOT_FOUND', '没有找到这个村（社区）。');
  const path = pathOf(org);
  if (id !== caller.stationId && !manages(caller, path))
    throw new AppError('FORBIDDEN', '只能查看本村或本站范围内的内容。');
  return { id, path };
}

/** The path of a station named in the input, for scoped access. */
export async function stationPath(id: string): Promise<string[] | null> {
  const org = await getOrg(id);
  return org ? pathOf(org) : null;
}
