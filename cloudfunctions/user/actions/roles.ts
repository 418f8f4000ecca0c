/**
 * Appointments: the center appoints institute admins (and fellow center admins), institutes appoint
 * station heads — each only within their own scope, each role at a node of its level. Granting what is
 * already held, or revoking what is not, changes nothing and answers the same: safe to retry.
 */
import type { UserApi } from '../../../typings/api';
import { ROLES, type Role } from '../../../typings/domain';
import { action, type ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { id } from '../../shared/runtime/validate';
import { mayGrant } from '../../shared/auth/guard';
import { pathOf } from '../../shared/org/model';
import { getOrg } from '../../shared/org/store';
import { orgId } from '../../shared/org/schemas';
import { findVolunteer, mutateUser } from '../../shared/user/store';
import { toPerson } from '../../shared/user/model';

type A = UserApi['grantRole'];
const APPOINTERS = ['centerAdmin', 'instituteAdmin'] as const;
const input = z.strictObject({ openid: id, role: z.enum(ROLES), orgId });

async function appoint(ctx: ActionContext, req: A['req'], grant: boolean) {
  const org = await getOrg(req.orgId);
  if (!org) throw new AppError('NOT_FOUND', '没有找到这个实践阵地。');
  const path = pathOf(org);
  const { roles: held } = await ctx.caller();
  if (!mayGrant(held, req.role as Role, org.level, path))
    throw new AppError('FORBIDDEN', '您不能在这里任命或撤销这个职务。');
  if (!grant && req.openid === ctx.openid)
    throw new AppError('FAILED_PRECONDITION', '不能撤销自己的职务，请让上级办理。');
  const user = await mutateUser(req.openid, (u) => {
    const has = (u.roles ?? []).some((r) => r.role === req.role && r.orgId === req.orgId);
    if (grant === has) return null;
    return {
      roles: grant
        ? [...(u.roles ?? []), { role: req.role, orgId: req.orgId, path }]
        : (u.roles ?? []).filter((r) => !(r.role === req.role && r.orgId === req.orgId)),
    };
  });
  const station = user.stationId ? await getOrg(user.stationId) : undefined;
  return toPerson(user, station?.name ?? null, await findVolunteer(user.openid), held);
}

const targetOf = async (req: A['req']) => {
  const org = await getOrg(req.orgId);
  return org ? pathOf(org) : null;
};

export const grantRole = action<A['req'], A['res']>({
  input,
  access: { roles: APPOINTERS },
  target: targetOf,
  run: (ctx, req) => appoint(ctx, req, true),
});

export const revokeRole = action<A['req'], A['res']>({
  input,
  access: { roles: APPOINTERS },
  target: targetOf,
  run: (ctx, req) => appoint(ctx, req, false),
});
