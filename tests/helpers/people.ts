/** Test people: users holding given roles, written straight into a test cloud's database. */
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../cloudfunctions/shared/org/domain/model';
import { newUser, roleFields, skillStationsOf } from '../../cloudfunctions/shared/user/domain/model';
import { CATEGORIES, type Category, type Role } from '../../typings/domain';
import type { TestCloud } from './localcloud';
import { storedPhone } from '../../localcloud/phonekeys';

export function orgDoc(cloud: TestCloud, id: string): OrgDoc {
  const [doc] = cloud.engine.find('orgs', { query: { _id: id } }) as unknown as OrgDoc[];
  if (!doc) throw new Error(`no org ${id} in the test cloud`);
  return doc;
}

/** Creates (or replaces) a user holding `roles`, each at its node; answers the openid. */
export function person(cloud: TestCloud, openid: string, roles: [Role, string][], name = '测试人'): string {
  const held = roles.map(([role, orgId]) => ({ role, orgId, path: pathOf(orgDoc(cloud, orgId)) }));
  const villager = held.find((h) => h.role === 'villager');
  cloud.engine.remove('users', { _id: openid }, false);
  cloud.engine.insert('users', [
    {
      ...newUser(openid, new Date(cloud.clock.now())),
      name,
      ...roleFields(held),
      stationId: villager?.orgId ?? null,
    } as unknown as Record<string, unknown>,
  ]);
  return openid;
}

/** A registered volunteer of `stationId` (every skill unless given) with nothing on hand yet. */
export function volunteerAt(
  cloud: TestCloud,
  openid: string,
  stationId: string,
  skills: readonly Category[] = CATEGORIES,
  name = '志愿者',
): string {
  person(cloud, openid, [['volunteer', stationId]], name);
  cloud.engine.remove('volunteers', { _id: openid }, false);
  cloud.engine.insert('volunteers', [
    {
      _id: openid,
      openid,
      name,
      ...storedPhone('13000000000'),
      skills: [...skills],
      stationIds: [stationId],
      areas: pathOf(orgDoc(cloud, stationId)),
      skillStations: skillStationsOf(skills, [stationId]),
      availability: { weekdays: [], slots: [] },
      status: 'active',
      load: 0,
      ratingSum: 0,
      ratingCount: 0,
      registeredAt: new Date(),
      updatedAt: new Date(),
    },
  ]);
  return openid;
}
