/**
 * Appointments: the center appoints institute admins (and fellow center admins), institutes appoint
 * station heads — each only within their own scope, each role at a node of its level. Granting what is
 * already held, or revoking what is not, changes nothing and answers the same: safe to retry.
 */
import type { UserApi } from '../../../typings/api';
import { appointersOf, revokersOf, ROLE_LEVEL, ROLES } from '../../../typings/domain';
import { action, type ActionContext, type RoleAccess, type Scope } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { id } from '../../shared/runtime/validate';
import { getOrg } from '../../shared/org/store';
import { orgId } from '../../shared/org/schemas';
import { countHolders, findUser, findVolunteer, mutateUser } from '../../shared/user/store';
import { giveBack, takeAbove } from '../../shared/runtime/counters';
import { toPerson, type UserDoc } from '../../shared/user/domain/model';

/** Roles the county cannot run without: their last holder is never revoked. */
export const ESSENTIAL_ROLES: readonly string[] = ['centerAdmin'];

/** The standing count of an essential role's holders at a node (runtime/counters.ts). */
export const essentialCountId = (role: string, orgId: string): string => `holders:${role}@${orgId}`;

type A = UserApi['grantRole'];
const FORBIDDEN = '您不能在这里任命或撤销这个职务。';
const input = z.strictObject({ openid: id, role: z.enum(ROLES), orgId });

async function appoint(ctx: ActionContext, req: A['req'], { path, node }: Scope, grant: boolean) {
  // The node was read by the access check (named by the request); the person, their registration and
  // then their village are read before the change, so that it is answered without reading again.
  const org = node ?? (await getOrg(req.orgId));
  if (!org) throw new AppError('NOT_FOUND', '没有找到这个实践阵地。');
  const { roles: held } = await ctx.caller();
  // A role is held at a node of its own level (a station head at a station …).
  if (ROLE_LEVEL[req.role] !== org.level) throw new AppError('FORBIDDEN', FORBIDDEN);
  if (!grant && req.openid === ctx.openid)
    throw new AppError('FAILED_PRECONDITION', '不能撤销自己的职务，请让上级办理。');
  // Nobody appoints themselves: an appointment is made by someone else, who answers for it.
  if (grant && req.openid === ctx.openid) throw new AppError('FORBIDDEN', '不能任命自己，请让上级办理。');
  // The last holder of a role the county cannot run without stays: the database keeps the count.
  const essential = ESSENTIAL_ROLES.includes(req.role);
  const countId = essentialCountId(req.role, req.orgId);
  const holds = (u: UserDoc) => (u.roles ?? []).some((r) => r.role === req.role && r.orgId === req.orgId);
  const [target, volunteer] = await Promise.all([findUser(req.openid), findVolunteer(req.openid)]);
  const village = target?.stationId ? await getOrg(target.stationId) : undefined;
  const took = essential && !grant && !!target && holds(target);
  if (took) {
    if (!(await takeAbove(countId, 1, () => countHolders(req.role, req.orgId)))) {
      throw new AppError('FAILED_PRECONDITION', '这是最后一位中心管理员，不能撤销；请先任命另一位。');
    }
  }
  let changed = false;
  const user = await mutateUser(
    req.openid,
    (u) => {
      const has = holds(u);
      changed = grant !== has;
      if (!changed) return null;
      return {
        roles: grant
          ? [...(u.roles ?? []), { role: req.role, orgId: req.orgId, path }]
          : (u.roles ?? []).filter((r) => !(r.role === req.role && r.orgId === req.orgId)),
      };
    },
    target,
  );
  // A grant adds a holder; a revocation that found nothing left to revoke (a concurrent twin) gives its take back.
  if ((essential && grant && changed) || (took && !changed)) await giveBack(countId);
  const station = user.stationId === village?._id ? village : user.stationId ? await getOrg(user.stationId) : undefined;
  return toPerson(user, station?.name ?? null, volunteer, held);
}

/** Those who may appoint the role (GRANTABLE), with a scope covering the node it is held at. */
const appointers: RoleAccess<A['req']> = {
  roles: (req) => appointersOf(req.role),
  at: (req) => req.orgId,
  forbidden: FORBIDDEN,
};

export const grantRole = action<A['req'], A['res']>({
  input,
  access: appointers,
  run: (ctx, req, at) => appoint(ctx, req, at, true),
});

export const revokeRole = action<A['req'], A['res']>({
  input,
  // Those who appoint it, and any admin above it within their subtree (a wrong appointment can be undone).
  access: { ...appointers, roles: (req) => revokersOf(req.role) },
  run: (ctx, req, at) => appoint(ctx, req, at, false),
});
