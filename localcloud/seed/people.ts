/**
 * The demo people: the five fixed identities anyone can try from the README, and a crowd of
 * volunteers and villagers around the demo station so lists are not empty. Deterministic.
 */
import { lcg, personName } from './random';
import type { Engine } from '../db/engine';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../cloudfunctions/shared/org/domain/model';
import type { HeldRole } from '../../cloudfunctions/shared/auth/domain/guard';
import {
  roleFields,
  skillStationsOf,
  type HouseholdDoc,
  type UserDoc,
  type VolunteerDoc,
} from '../../cloudfunctions/shared/user/domain/model';
import { CATEGORIES, type Category } from '../../typings/domain';
import { CENTER_ID, DEMO_INSTITUTE_ID, DEMO_STATION_ID } from './network';
import { storedPhone } from '../phonekeys';

export interface DemoIdentity {
  openid: string;
  who: string;
}

export function seedPeople(
  engine: Engine,
  network: OrgDoc[],
  now: Date,
): { identities: DemoIdentity[]; counts: Record<string, number> } {
  const byId = new Map(network.map((d) => [d._id, d]));
  const node = (id: string) => {
    const d = byId.get(id);
    if (!d) throw new Error(`demo network has no ${id}`);
    return d;
  };
  const held = (role: HeldRole['role'], orgId: string): HeldRole => ({ role, orgId, path: pathOf(node(orgId)) });
  const users: UserDoc[] = [];
  const volunteers: VolunteerDoc[] = [];
  const households: HouseholdDoc[] = [];
  const user = (
    openid: string,
    name: string,
    roles: HeldRole[],
    stationId: string | null,
    householdId: string | null,
  ): UserDoc => {
    const u: UserDoc = {
      _id: openid,
      openid,
      name,
      ...roleFields(roles),
      nickname: null,
      stationId,
      householdId,
      bindingId: null,
      createdAt: now,
      lastLoginAt: now,
      rev: 0,
    };
    users.push(u);
    return u;
  };
  const volunteer = (openid: string, name: string, phone: string, skills: Category[], stationIds: string[]) => {
    volunteers.push({
      _id: openid,
      openid,
      name,
      ...storedPhone(phone),
      skills,
      stationIds,
      areas: [...new Set(stationIds.flatMap((s) => pathOf(node(s))))],
      skillStations: skillStationsOf(skills, stationIds),
      availability: { weekdays: [1, 3, 5, 6], slots: ['morning', 'afternoon'] },
      load: 0,
      ratingSum: 0,
      ratingCount: 0,
      status: 'active',
      registeredAt: now,
      updatedAt: now,
    });
  };

  // The five fixed identities.
  user('demo-center-admin', '陈主任', [held('centerAdmin', CENTER_ID)], null, null);
  user('demo-institute-admin', '王所长', [held('instituteAdmin', DEMO_INSTITUTE_ID)], null, null);
  user('demo-station-head', '李站长', [held('stationHead', DEMO_STATION_ID)], DEMO_STATION_ID, null);
  user('demo-volunteer', '张志愿', [held('volunteer', DEMO_STATION_ID)], null, null);
  volunteer('demo-volunteer', '张志愿', '13800000001', ['health', 'technology', 'charity'], [DEMO_STATION_ID]);
  // A volunteer with a record: three wishes done, rated 5, 5 and 4 stars.
  Object.assign(volunteers[volunteers.length - 1], { ratingSum: 14, ratingCount: 3 });
  households.push({
    _id: '10000001',
    stationId: DEMO_STATION_ID,
    headOpenid: 'demo-villager',
    headName: '赵桂英',
    members: [
      { openid: 'demo-villager', name: '赵桂英' },
      { openid: 'demo-villager-son', name: '赵建国' },
    ],
    createdAt: now,
    updatedAt: now,
  });
  user('demo-villager', '赵桂英', [held('villager', DEMO_STATION_ID)], DEMO_STATION_ID, '10000001');
  user('demo-villager-son', '赵建国', [held('villager', DEMO_STATION_ID)], DEMO_STATION_ID, '10000001');

  // A crowd around the demo institute: volunteers on its stations, villagers in households.
  const rand = lcg(7301);
  const name = () => personName(rand);
  const stations = network.filter((d) => d.level === 'station' && d.parentId === DEMO_INSTITUTE_ID).map((d) => d._id);
  for (let i = 0; i < 60; i += 1) {
    const openid = `demo-vol-${String(i + 1).padStart(3, '0')}`;
    const n = name();
    const served = [stations[i % stations.length], ...(i % 4 === 0 ? [stations[(i + 1) % stations.length]] : [])];
    const skills = CATEGORIES.filter(() => rand() < 0.3);
    user(
      openid,
      n,
      served.map((s) => held('volunteer', s)),
      null,
      null,
    );
    volunteer(openid, n, `139${String(10_000_000 + i * 7919).slice(-8)}`, skills.length ? skills : ['charity'], served);
  }
  for (let i = 0; i < 40; i += 1) {
    const stationId = stations[i % 4];
    const hh = String(20_000_001 + i);
    const members = Array.from({ length: 1 + (i % 3) }, (_v, j) => ({
      openid: `demo-vil-${i + 1}-${j + 1}`,
      name: name(),
    }));
    households.push({
      _id: hh,
      stationId,
      headOpenid: members[0].openid,
      headName: members[0].name,
      members,
      createdAt: now,
      updatedAt: now,
    });
    for (const m of members) user(m.openid, m.name, [held('villager', stationId)], stationId, hh);
  }

  engine.insert('users', users as unknown as Record<string, unknown>[]);
  engine.insert('volunteers', volunteers as unknown as Record<string, unknown>[]);
  engine.insert('households', households as unknown as Record<string, unknown>[]);

  const stationName = node(DEMO_STATION_ID).name;
  const instituteName = node(DEMO_INSTITUTE_ID).name;
  return {
    identities: [
      { openid: 'demo-center-admin', who: `中心管理员 陈主任（${node(CENTER_ID).name}）` },
      { openid: 'demo-institute-admin', who: `所长 王所长（${instituteName}）` },
      { openid: 'demo-station-head', who: `站长 李站长（${stationName}）` },
      { openid: 'demo-volunteer', who: `志愿者 张志愿（服务${stationName}，会健康、科技、爱心）` },
      { openid: 'demo-villager', who: `群众 赵桂英（${stationName}，户主）` },
    ],
    counts: { users: users.length, volunteers: volunteers.length, households: households.length },
  };
}
