/** The county's people around the demo orders: who posts, who reviews and dispatches, who helps. */
import type { OrgDoc } from '../../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../../cloudfunctions/shared/org/domain/model';
import type { HeldRole } from '../../../cloudfunctions/shared/auth/domain/guard';
import {
  roleFields,
  type HouseholdDoc,
  type UserDoc,
  type VolunteerDoc,
} from '../../../cloudfunctions/shared/user/domain/model';
import type { Rand } from '../random';
import { DEMO_INSTITUTE_ID } from '../network';
import type { Actor, Helper } from './play';
import { GIVEN, SURNAMES } from './words';

export interface Cast {
  stations: OrgDoc[];
  /** Villagers who may post, by station. */
  villagers: Map<string, Actor[]>;
  /** The station head of each station (the demo one, and one per other station). */
  heads: Map<string, Actor>;
  instituteAdmin: Actor;
  centerAdmin: Actor;
  helpers: Helper[];
  names: Record<string, string>;
  extraUsers: UserDoc[];
  extraHouseholds: HouseholdDoc[];
}

export const shortName = (station: OrgDoc) => station.name.replace('新时代文明实践站', '');

export function castOf(network: OrgDoc[], users: UserDoc[], volunteers: VolunteerDoc[], now: Date, r: Rand): Cast {
  const byId = new Map(network.map((d) => [d._id, d]));
  const stations = network.filter((d) => d.level === 'station' && d.parentId === DEMO_INSTITUTE_ID);
  const heldAt = (role: HeldRole['role'], orgId: string): HeldRole => ({
    role,
    orgId,
    path: pathOf(byId.get(orgId)!),
  });
  const name = () => r.pick(SURNAMES) + r.pick(GIVEN);
  const extraUsers: UserDoc[] = [];
  const extraHouseholds: HouseholdDoc[] = [];
  const user = (openid: string, n: string, roles: HeldRole[], stationId: string | null, hh: string | null) => {
    extraUsers.push({
      _id: openid,
      openid,
      name: n,
      ...roleFields(roles),
      nickname: null,
      stationId,
      householdId: hh,
      bindingId: null,
      createdAt: now,
      lastLoginAt: now,
      rev: 0,
    });
  };

  const reserved = new Set(['demo-villager', 'demo-villager-son']);
  const villagers = new Map<string, Actor[]>();
  for (const u of users) {
    if (!u.stationId || reserved.has(u.openid) || !u.roles.some((h) => h.role === 'villager')) continue;
    const list = villagers.get(u.stationId) ?? [];
    list.push({ openid: u.openid, name: u.name ?? '群众' });
    villagers.set(u.stationId, list);
  }
  const heads = new Map<string, Actor>();
  for (const u of users) {
    for (const h of u.roles)
      if (h.role === 'stationHead') heads.set(h.orgId, { openid: u.openid, name: u.name ?? '站长' });
  }
  // The stations of the demo institute that have no people yet get a station head and a few households.
  for (const st of stations) {
    const code = st._id.slice(-3);
    if (!heads.has(st._id)) {
      const head = { openid: `demo-head-${code}`, name: `${r.pick(SURNAMES)}站长` };
      user(head.openid, head.name, [heldAt('stationHead', st._id)], null, null);
      heads.set(st._id, head);
    }
    if (!villagers.has(st._id)) {
      const list: Actor[] = [];
      for (let i = 1; i <= 3; i++) {
        // A household number (户号) as the demo's are: six digits, 3SSSH for station SSS, household H.
        const hh = String(300_000 + Number(code) * 10 + i);
        const members = Array.from({ length: i === 1 ? 2 : 1 }, (_v, j) => ({
          openid: `demo-res-${code}-${i}-${j + 1}`,
          name: name(),
        }));
        extraHouseholds.push({
          _id: hh,
          stationId: st._id,
          headOpenid: members[0].openid,
          headName: members[0].name,
          members,
          createdAt: now,
          updatedAt: now,
        });
        for (const m of members) {
          user(m.openid, m.name, [heldAt('villager', st._id)], st._id, hh);
          list.push(m);
        }
      }
      villagers.set(st._id, list);
    }
  }
  const find = (openid: string): Actor => {
    const u = users.find((x) => x.openid === openid);
    if (!u) throw new Error(`seed: no demo user ${openid}`);
    return { openid, name: u.name ?? openid };
  };
  return {
    stations,
    villagers,
    heads,
    instituteAdmin: find('demo-institute-admin'),
    centerAdmin: find('demo-center-admin'),
    helpers: volunteers
      .filter((v) => v.status === 'active')
      .map((v) => ({ openid: v.openid, name: v.name, skills: v.skills, areas: v.areas, stationIds: v.stationIds })),
    names: Object.fromEntries(network.filter((d) => d.level !== 'point').map((d) => [d._id, d.name])),
    extraUsers,
    extraHouseholds,
  };
}
