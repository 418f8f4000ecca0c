/**
 * What the integral actions share: field schemas, the caller, and the documents actions are declared on
 * (a household, a record, a ledger entry, a reservation), each with the caller's relations to it.
 */
import * as z from 'zod/mini';
import { INTEGRAL_LIMITS } from '../../../typings/integral';
import { documentAction, type ActionContext, type RoleAccess, type Scope } from '../../shared/runtime/handler';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { AppError } from '../../shared/runtime/errors';
import { getOrg } from '../../shared/org/store';
import { pathOf } from '../../shared/org/domain/model';
import { widestScope } from '../../shared/auth/domain/guard';
import { manages, type Caller } from '../../shared/integral/domain/decide';
import type { ClaimDoc, EntryDoc, HouseholdRef, RedemptionDoc } from '../../shared/integral/domain/model';
import { findClaim, findEntry, householdRef } from '../../shared/integral/store';
import { findRedemption } from '../../shared/integral/store-shop';

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

/** `stationGuess`: the station the household is likely of (the caller's), read beside it. */
export async function mustHousehold(id: string, stationGuess?: string | null): Promise<HouseholdRef> {
  const h = await householdRef(id, stationGuess);
  if (!h) throw new AppError('NOT_FOUND', '没有找到这个户号。');
  return h;
}

/**
 * The node a list is about: the one a manager's access resolved (`scope`), else the caller's own
 * station — a villager reads their village's board, shop and roll of honour — or a manager's widest scope.
 */
export async function placeOf(ctx: ActionContext, scope: Scope | undefined): Promise<{ id: string; path: string[] }> {
  if (scope) return { id: scope.orgId, path: scope.path };
  const caller = await callerOf(ctx);
  const held = widestScope(caller.roles, DISPATCHER_ROLES);
  const id = caller.stationId ?? held?.orgId;
  if (!id) throw new AppError('FAILED_PRECONDITION', '请先在“我的”里绑定您所在的村（社区）。');
  if (held && id === held.orgId) return { id, path: held.path };
  const org = await getOrg(id);
  if (!org) throw new AppError('FAILED_PRECONDITION', '您绑定的村（社区）已不存在，请重新绑定。');
  return { id, path: pathOf(org) };
}

/** Station heads and above, for a station (or node) the request names; without one, the caller's own. */
export const managersAt = <Req extends { stationId?: string }>(): RoleAccess<Req> => ({
  roles: DISPATCHER_ROLES,
  at: (req) => req.stationId,
  only: (req) => req.stationId !== undefined,
  forbidden: '只能查看本村或本站范围内的内容。',
});

// ── the documents actions are declared on ─────────────────────────────────────────────────────

/** How a caller stands to a household, a record, an entry or a reservation of one. */
export type Relation = 'member' | 'villager' | 'manager';

interface Loaded<D> {
  doc: D;
  caller: Caller;
}

function relations(caller: Caller, householdId: string, stationId: string, path: string[], members: string[] = []) {
  const out: Relation[] = [];
  if (caller.householdId === householdId || members.includes(caller.openid)) out.push('member');
  if (caller.stationId === stationId) out.push('villager');
  if (manages(caller, path)) out.push('manager');
  return out;
}

const loaded = async <D>(ctx: ActionContext, find: (c: Caller) => Promise<D | undefined>) => {
  const caller = await callerOf(ctx);
  const doc = await find(caller);
  return doc && { doc, caller };
};

/** A document found by its key alone, read together with the caller (one round trip). */
const loadedBeside = async <D>(ctx: ActionContext, find: () => Promise<D | undefined>) => {
  const [caller, doc] = await Promise.all([callerOf(ctx), find()]);
  return doc && { doc, caller };
};

/** A household's points: the caller's own household unless the request names one. */
export const householdAction = documentAction<{ householdId?: string }, Loaded<HouseholdRef>, Relation>({
  load: (req, ctx) =>
    loaded(ctx, async (c) => {
      const id = req.householdId ?? c.householdId;
      return id ? householdRef(id, c.stationId) : undefined;
    }),
  relations: ({ doc, caller }) => relations(caller, doc.id, doc.stationId, doc.path, doc.memberOpenids),
  notFound: '没有找到这个户号。请先在“我的”里绑定您家的户号。',
  forbidden: '只能查看自己家或本站范围内农户的积分。',
});

export const claimAction = documentAction<{ id: string }, Loaded<ClaimDoc>, Relation>({
  load: (req, ctx) => loadedBeside(ctx, () => findClaim(req.id)),
  relations: ({ doc, caller }) => relations(caller, doc.householdId, doc.stationId, doc.path),
  notFound: '没有找到这条积分记录。',
  forbidden: '您不能办理这条积分记录。',
});

export const entryAction = documentAction<{ entryId: string }, Loaded<EntryDoc>, Relation>({
  load: (req, ctx) => loadedBeside(ctx, () => findEntry(req.entryId)),
  relations: ({ doc, caller }) => relations(caller, doc.householdId, doc.stationId, doc.path),
  notFound: '没有找到这条积分记录。',
  forbidden: '您没有更正这户积分的权限。',
});

/** A reservation known by its pickup code; the managers over the shop that sold it may check it. */
export const pickupAction = documentAction<{ code: string }, Loaded<RedemptionDoc>, Relation>({
  load: (req, ctx) => loadedBeside(ctx, () => findRedemption({ pickupCode: req.code })),
  relations: ({ doc, caller }) => relations(caller, doc.householdId, doc.stationId, doc.shopPath),
  notFound: '没有这个取货码，请核对后再输。',
  forbidden: '这个取货码不是本站的。',
});
