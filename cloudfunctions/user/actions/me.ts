import type { Me, UserApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { empty } from '../../shared/runtime/validate';
import { pathOf } from '../../shared/org/domain/model';
import { getOrg, getOrgs } from '../../shared/org/store';
import { ensureUser, findHousehold, findVolunteer } from '../../shared/user/store';
import { toHousehold, toProfile, toVolunteer, type UserDoc } from '../../shared/user/domain/model';

type A = UserApi['me'];

/** The caller's own view of themself: everything about them, their own phone in full. */
export async function describeMe(user: UserDoc, isNew = false): Promise<Me> {
  const [station, household, asked, volunteer] = await Promise.all([
    user.stationId ? getOrg(user.stationId) : Promise.resolve(undefined),
    user.householdId ? findHousehold(user.householdId) : Promise.resolve(undefined),
    user.joinRequest ? findHousehold(user.joinRequest) : Promise.resolve(undefined),
    findVolunteer(user.openid),
  ]);
  const names = station ? await getOrgs(pathOf(station)) : new Map();
  return {
    ...toProfile(user, isNew),
    name: user.name ?? null,
    station: station
      ? {
          id: station._id,
          name: station.name,
          path: pathOf(station).map((id) => ({ id, name: names.get(id)?.name ?? id })),
        }
      : null,
    household: household ? toHousehold(household, user.openid) : null,
    joinRequest: asked ? { householdId: asked._id, headName: asked.headName } : null,
    volunteer: volunteer ? toVolunteer(volunteer, true) : null,
  };
}

export const me = action<A['req'], A['res']>({
  input: empty,
  access: 'self',
  async run(ctx) {
    const { user, created } = await ensureUser(ctx.openid, ctx.now);
    return describeMe(user, created);
  },
});
