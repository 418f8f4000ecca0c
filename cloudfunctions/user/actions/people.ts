/** People within the caller's scope: for station heads and above, paged, searchable by name or by a volunteer's phone number. */
import type { UserApi } from '../../../typings/api';
import { DISPATCHER_ROLES, ROLES, VOLUNTEER_STATUSES, type VolunteerStatus } from '../../../typings/domain';
import { AppError } from '../../shared/runtime/errors';
import { action } from '../../shared/runtime/handler';
import * as z from 'zod/mini';
import { getOrgs } from '../../shared/org/store';
import { orgId, page } from '../../shared/org/schemas';
import { findUsers, findVolunteers } from '../../shared/user/store';
import { countPeopleUnder, countVolunteersUnder, peopleUnder, volunteersUnder } from '../../shared/user/store-lists';
import { toPerson, type UserDoc } from '../../shared/user/domain/model';

type A = UserApi['listPeople'];
const PAGE_SIZE = 20;

type Found = [UserDoc[], number];

async function peopleIn(scope: string, req: A['req'], p: number): Promise<Found> {
  return Promise.all([
    peopleUnder(scope, { q: req.q, role: req.role, skip: p * PAGE_SIZE, limit: PAGE_SIZE + 1 }),
    countPeopleUnder(scope, { q: req.q, role: req.role }),
  ]);
}

/** Volunteers in one status, read from the registrations (where the status is) and shown as people. */
async function volunteersIn(scope: string, req: A['req'], status: VolunteerStatus, p: number): Promise<Found> {
  if (req.role && req.role !== 'volunteer') {
    throw new AppError('INVALID_ARGUMENT', '按志愿者状态查找时只能找志愿者。', [
      'volunteerStatus goes with role volunteer',
    ]);
  }
  const [found, total] = await Promise.all([
    volunteersUnder(scope, { q: req.q, status, skip: p * PAGE_SIZE, limit: PAGE_SIZE + 1 }),
    countVolunteersUnder(scope, { q: req.q, status }),
  ]);
  const users = await findUsers(found.map((v) => v._id));
  return [found.map((v) => users.get(v._id)).filter((u): u is UserDoc => !!u), total];
}

export const listPeople = action<A['req'], A['res']>({
  input: z.strictObject({
    orgId: z.optional(orgId),
    q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(20))),
    role: z.optional(z.enum(ROLES)),
    volunteerStatus: z.optional(z.enum(VOLUNTEER_STATUSES)),
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
    const [found, total] = req.volunteerStatus
      ? await volunteersIn(scope, req, req.volunteerStatus, p)
      : await peopleIn(scope, req, p);
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
