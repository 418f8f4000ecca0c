/**
 * Volunteer registration (waiting for a station head's approval before the volunteer takes anything),
 * and the station heads' review of it. Registration: real name, phone (from the getPhoneNumber code, exchanged here in the cloud,
 * or typed in), skills among the ten services, the stations served and when they are free. Registering
 * again updates the profile and leaves the work counters alone. Safe to retry: both writes are idempotent.
 */
import type { UserApi } from '../../../typings/api';
import { CATEGORIES, DISPATCHER_ROLES, VOLUNTEER_LIMITS } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import { phoneFromCode } from '../../shared/runtime/platform';
import * as z from 'zod/mini';
import { pathOf } from '../../shared/org/domain/model';
import { getOrg, getOrgs } from '../../shared/org/store';
import { orgId } from '../../shared/org/schemas';
import {
  addUser,
  findUser,
  findVolunteer,
  mutateUser,
  pendingAt,
  saveVolunteerProfile,
  settleRegistration,
} from '../../shared/user/store';
import { newUser, registrationEffect, skillStationsOf, toVolunteer, withRoles } from '../../shared/user/domain/model';
import { spendToday } from '../../shared/runtime/counters';
import { describeMe, presentMe, readMe } from './me';
import { personName } from './bind';
import { cleanText, id } from '../../shared/runtime/validate';

type A = UserApi['registerVolunteer'];

const availability = z.strictObject({
  weekdays: z.array(z.int().check(z.gte(1), z.lte(7))).check(z.maxLength(7)),
  slots: z.array(z.enum(['morning', 'afternoon', 'evening'])).check(z.maxLength(3)),
  note: z.optional(z.string().check(...cleanText, z.maxLength(60))),
});

export const registerVolunteer = action<A['req'], A['res']>({
  input: z.strictObject({
    name: personName,
    phone: z.optional(z.string().check(z.regex(/^1\d{10}$/, 'an 11-digit mobile number'))),
    phoneCode: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    skills: z.array(z.enum(CATEGORIES)).check(z.minLength(1), z.maxLength(CATEGORIES.length)),
    stationIds: z.array(orgId).check(z.minLength(1), z.maxLength(5)),
    availability: z.optional(availability),
  }),
  access: 'self',
  async run(ctx, req) {
    if (req.phone && req.phoneCode) {
      throw new AppError('INVALID_ARGUMENT', '请授权手机号，或者手动填写手机号，二选一。', [
        'at most one of phone, phoneCode',
      ]);
    }
    // One round trip of reads: the stations, the caller, their registration, with the text check beside
    // them (its verdict after the stations', as before); then what the answer shows of the caller.
    const text = checkText(ctx.openid, [req.name, req.availability?.note], 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    const [stations, found, previous] = await Promise.all([
      getOrgs(req.stationIds),
      findUser(ctx.openid),
      findVolunteer(ctx.openid),
    ]);
    const missing = req.stationIds.filter((s) => stations.get(s)?.level !== 'station' || stations.get(s)?.retired);
    if (missing.length)
      throw new AppError(
        'NOT_FOUND',
        '选的服务站点里有找不到的，请重新选择。',
        missing.map((m) => `stationIds: ${m}`),
      );
    const refused = await text;
    if (refused) throw refused;
    // An update may keep the phone registered before; a first registration must give one.
    const phone = req.phone ?? (req.phoneCode ? await phoneFromCode(req.phoneCode) : previous?.phone);
    if (!phone)
      throw new AppError('INVALID_ARGUMENT', '请授权手机号，或者手动填写手机号。', ['phone or phoneCode is required']);
    // Read before the writes, so that nothing is read after them (the registration is answered as written);
    // someone never seen before is recorded now that the request has passed its checks.
    let current = found ?? newUser(ctx.openid, ctx.now);
    let seen = await readMe(current, { orgs: stations, volunteer: previous });
    if (!found) {
      const made = await addUser(ctx.openid, ctx.now);
      current = made.user;
      if (!made.created) seen = await readMe(current, { orgs: stations, volunteer: previous });
    }

    const stationIds = [...new Set(req.stationIds)];
    const effect = registrationEffect(previous, stationIds);
    if (effect.stationChange) {
      if (!(await spendToday('station-changes', ctx.openid, VOLUNTEER_LIMITS.stationChangesPerDay, ctx.now))) {
        throw new AppError('RATE_LIMITED', '今天已经换过好几次服务站点了，请明天再换。');
      }
    }
    const held = stationIds.map((s) => ({ role: 'volunteer' as const, orgId: s, path: pathOf(stations.get(s)!) }));
    const skills = [...new Set(req.skills)];
    // The profile only: the work counters (load, ratings) and the status are never written from a read.
    const saved = await saveVolunteerProfile(
      ctx.openid,
      {
        name: req.name,
        phone,
        skills,
        stationIds,
        areas: [...new Set(held.flatMap((h) => h.path))],
        skillStations: skillStationsOf(skills, stationIds),
        availability: req.availability ?? { weekdays: [], slots: [] },
        updatedAt: ctx.now,
      },
      effect.status,
      previous,
    );
    const user = await mutateUser(
      ctx.openid,
      (u) => ({ roles: withRoles(u.roles ?? [], 'volunteer', held), name: u.name ?? req.name }),
      current,
    );
    if (!saved) return describeMe(user, false, { orgs: seen.orgs, households: seen.households });
    return presentMe(user, false, { ...seen, volunteer: saved });
  },
});

export const pendingVolunteers = action<UserApi['pendingVolunteers']['req'], UserApi['pendingVolunteers']['res']>({
  input: z.strictObject({ stationId: orgId }),
  access: { roles: DISPATCHER_ROLES, at: (req) => req.stationId },
  async run(_ctx, req) {
    return { volunteers: (await pendingAt(req.stationId)).map((v) => toVolunteer(v, true)) };
  },
});

export const reviewVolunteer = action<UserApi['reviewVolunteer']['req'], UserApi['reviewVolunteer']['res']>({
  input: z.strictObject({
    openid: id,
    stationId: orgId,
    approve: z.boolean(),
    reason: z.optional(z.string().check(...cleanText, z.minLength(2), z.maxLength(60))),
  }),
  // A head of the station the volunteer chose (or an admin above it) vouches for them.
  access: { roles: DISPATCHER_ROLES, at: (req) => req.stationId },
  async run(ctx, req, scope) {
    const v = await findVolunteer(req.openid);
    if (!v || !v.stationIds.includes(req.stationId)) {
      throw new AppError('NOT_FOUND', '这个站点没有这位志愿者的登记。');
    }
    // Where an approval counts them: their first station (most often the one reviewing, already read).
    const first = v.stationIds[0];
    const station = first === req.stationId ? undefined : await getOrg(first);
    const settled = await settleRegistration(
      req.openid,
      req.approve ? 'active' : 'rejected',
      ctx.openid,
      ctx.now,
      req.approve ? undefined : req.reason,
      first === req.stationId ? scope.path : station && pathOf(station),
    );
    return toVolunteer(settled, true);
  },
});
