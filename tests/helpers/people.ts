/** Test people: users holding given roles, written straight into a test cloud's database. */
import type { Role } from '../../typings/domain';
import type { OrgDoc } from '../../cloudfunctions/shared/org/model';
import { pathOf } from '../../cloudfunctions/shared/org/model';
import { newUser, roleFields } from '../../cloudfunctions/shared/user/model';
import type { TestCloud } from './localcloud';

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
