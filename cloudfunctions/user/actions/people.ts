/** People within the caller's scope: for station heads and above, paged, searchable by name or by a volunteer's phone number. */
import type { UserApi } from '../../../typings/api';
import { DISPATCHER_ROLES, ROLES } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import * as z from 'zod/mini';
import { getOrgs } from '../../shared/org/store';
import { orgId, page } from '../../shared/org/schemas';
import { countPeopleUnder, findVolunteers, peopleUnder } from '../../shared/user/store';
import { toPerson } from '../../shared/user/domain/model';

type A = UserApi['listPeople'];
const PAGE_SIZE = 20;

export const listPeople = action<A['req'], A['res']>({
  input: z.strictObject({
    orgId: z.optional(orgId),
    q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(20))),
    role: z.optional(z.enum(ROLES)),
    page,
  }),
  // Station heads and above, within their scope: the node asked for, or their own widest one.
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.orgId,
  },
  async run(ctx, req, { orgId: scope }) {
    const { roles: held } = await ctx.caller();
    const p = req.page ?? 0;
    const [found, total] = await Promise.all([
      peopleUnder(scope, { q: req.q, role: req.role, skip: p * PAGE_SIZE, limit: PAGE_SIZE + 1 }),
      countPeopleUnder(scope, { q: req.q, role: req.role }),
    ]);
    const shown = found.slice(0, PAGE_SIZE);
    const [stations, volunteers] = await Promise.all([
      getOrgs(shown.map((u) => u.stationId ?? '').filter(Boolean)),
      findVolunteers(shown.map((u) => u.openid)),
    ]);
    return {
      people: shown.map((u) =>
        toPerson(u, u.stationId ? (stations.get(u.stationId)?.name ?? null) : null, volunteers.get(u.openid), held),
      ),
      nextPage: found.length > PAGE_SIZE ? p + 1 : null,
      total,
    };
  },
});
