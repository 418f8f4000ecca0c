import type { Me, UserApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { empty } from '../../shared/runtime/validate';
import { pathOf } from '../../shared/org/domain/model';
import { getOrgs } from '../../shared/org/store';
import type { OrgDoc } from '../../shared/org/domain/model';
import { findHousehold, findVolunteer, loginUser } from '../../shared/user/store';
import {
  toHousehold,
  toProfile,
  toVolunteer,
  type HouseholdDoc,
  type UserDoc,
  type VolunteerDoc,
} from '../../shared/user/domain/model';

type A = UserApi['me'];

/**
 * What a caller already holds of what describeMe shows, so that it is not read again: the station with
 * the nodes of its path, by id (`orgs`), and the volunteer record as the store answers it.
 */
export interface Known {
  orgs?: Map<string, OrgDoc>;
  volunteer?: VolunteerDoc | undefined;
  /** Households just written, by id. */
  households?: Map<string, HouseholdDoc>;
}

/** What describeMe shows beside the user record, as readMe gathers it. */
export interface Seen {
  orgs: Map<string, OrgDoc>;
  households: Map<string, HouseholdDoc>;
  volunteer: VolunteerDoc | undefined;
}

/**
 * Reads what describeMe shows of a user beyond the record, and is not known yet. One round trip: the
 * station's path is on the villager role its binding wrote, so the station and the names of its path
 * are read together with the households and the volunteer record (a second trip only when the path has
 * changed since the binding).
 */
export async function readMe(user: UserDoc, known: Known = {}): Promise<Seen> {
  const bound = user.stationId
    ? ((user.roles ?? []).find((r) => r.role === 'villager' && r.orgId === user.stationId)?.path ?? [user.stationId])
    : [];
  const households = new Map(known.households ?? []);
  const unread = [user.householdId, user.joinRequest].filter((id): id is string => !!id && !households.has(id));
  const [orgs, read, volunteer] = await Promise.all([
    known.orgs && bound.every((id) => known.orgs!.has(id))
      ? Promise.resolve(new Map(known.orgs))
      : bound.length
        ? getOrgs(bound)
        : Promise.resolve(new Map<string, OrgDoc>()),
    Promise.all(unread.map(findHousehold)),
    'volunteer' in known ? Promise.resolve(known.volunteer) : findVolunteer(user.openid),
  ]);
  for (const h of read) if (h) households.set(h._id, h);
  const station = user.stationId ? orgs.get(user.stationId) : undefined;
  const missing = station ? pathOf(station).filter((id) => !orgs.has(id)) : [];
  if (missing.length) for (const [id, doc] of await getOrgs(missing)) orgs.set(id, doc);
  return { orgs, households, volunteer };
}

/** The caller's own view of themself from what readMe gathered: everything about them, their own phone in full. */
export function presentMe(user: UserDoc, isNew: boolean, seen: Seen): Me {
  const station = user.stationId ? seen.orgs.get(user.stationId) : undefined;
  const household = user.householdId ? seen.households.get(user.householdId) : undefined;
  const asked = user.joinRequest ? seen.households.get(user.joinRequest) : undefined;
  return {
    ...toProfile(user, isNew),
    name: user.name ?? null,
    station: station
      ? {
          id: station._id,
          name: station.name,
          path: pathOf(station).map((id) => ({ id, name: seen.orgs.get(id)?.name ?? id })),
        }
      : null,
    household: household ? toHousehold(household, user.openid) : null,
    joinRequest: asked ? { householdId: asked._id, headName: asked.headName } : null,
    volunteer: seen.volunteer ? toVolunteer(seen.volunteer, true) : null,
  };
}

/** The caller's own view of themself, reading only what is not known already. */
export async function describeMe(user: UserDoc, isNew = false, known: Known = {}): Promise<Me> {
  return presentMe(user, isNew, await readMe(user, known));
}

export const me = action<A['req'], A['res']>({
  input: empty,
  access: 'self',
  // The login stamp is written beside the reads of the answer (one round trip after the caller's read).
  run: (ctx) => loginUser(ctx.openid, ctx.now, describeMe),
});
