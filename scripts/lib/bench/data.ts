/**
 * County-scale data for the benchmarks, generated deterministically (a seeded PRNG) and shaped as
 * the functions store it: volunteers with skills and stations, orders in any status with their
 * deadlines. Inserted through the engine in batches by the sections.
 */
import type { OrgDoc } from '../../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../../cloudfunctions/shared/org/domain/model';
import type { OrderDoc } from '../../../cloudfunctions/shared/order/domain/model';
import { geoPoint } from '../../../cloudfunctions/shared/org/domain/geo';
import { skillStationsOf, type VolunteerDoc } from '../../../cloudfunctions/shared/user/domain/model';
import { CATEGORIES, type Category } from '../../../typings/domain';
import type { OrderKind, OrderLevel, OrderStatus } from '../../../typings/order';
import { personName, rand, type Rand } from '../../../localcloud/seed/random';
import { storedPhone } from '../../../localcloud/phonekeys';

export { rand, type Rand } from '../../../localcloud/seed/random';

const name = (r: Rand) => personName(r);

export interface County {
  byId: Map<string, OrgDoc>;
  stations: OrgDoc[];
  /** Stations by institute, for volunteers who serve two neighbouring villages. */
  stationsOf: Map<string, OrgDoc[]>;
  points: OrgDoc[];
  pointsOf: Map<string, OrgDoc[]>;
}

export function county(network: OrgDoc[]): County {
  const stations = network.filter((d) => d.level === 'station');
  const stationsOf = new Map<string, OrgDoc[]>();
  for (const s of stations) stationsOf.set(s.parentId!, [...(stationsOf.get(s.parentId!) ?? []), s]);
  const points = network.filter((d) => d.level === 'point');
  const pointsOf = new Map<string, OrgDoc[]>();
  for (const p of points) pointsOf.set(p.parentId!, [...(pointsOf.get(p.parentId!) ?? []), p]);
  return { byId: new Map(network.map((d) => [d._id, d])), stations, stationsOf, points, pointsOf };
}

/**
 * `n` volunteers over the whole county: 1–4 of the ten skills, one station (four in ten serve a
 * second in the same town), availability, and load and ratings spread as a working county has them.
 */
export function volunteers(c: County, n: number, now: Date, seed = 0x7011): VolunteerDoc[] {
  const r = rand(seed);
  const out: VolunteerDoc[] = [];
  for (let i = 0; i < n; i++) {
    const openid = `bench-vol-${String(i + 1).padStart(6, '0')}`;
    const home = r.pick(c.stations);
    const stationIds = [home._id];
    if (r() < 0.4) {
      const near = r.pick(c.stationsOf.get(home.parentId!) ?? [home]);
      if (near._id !== home._id) stationIds.push(near._id);
    }
    const skills = [...CATEGORIES].sort(() => r() - 0.5).slice(0, 1 + r.int(4)) as Category[];
    const ratingCount = r() < 0.3 ? 0 : 1 + r.int(30);
    const load = r() < 0.6 ? 0 : r() < 0.6 ? 1 : r() < 0.7 ? 2 : 3;
    out.push({
      _id: openid,
      openid,
      name: name(r),
      ...storedPhone(`139${String(10_000_000 + i).slice(-8)}`),
      skills,
      stationIds,
      areas: [...new Set(stationIds.flatMap((s) => pathOf(c.byId.get(s)!)))],
      skillStations: skillStationsOf(skills, stationIds),
      availability: {
        weekdays: [1, 2, 3, 4, 5, 6, 7].filter(() => r() < 0.5),
        slots: (['morning', 'afternoon', 'evening'] as const).filter(() => r() < 0.6),
      },
      load,
      ratingSum: Math.round(ratingCount * (3.5 + r() * 1.5)),
      ratingCount,
      status: r() < 0.97 ? 'active' : 'paused',
      registeredAt: now,
      updatedAt: now,
    });
  }
  return out;
}

export interface OrderSpec {
  id: string;
  station: OrgDoc;
  level: OrderLevel;
  status: OrderStatus;
  category: Category;
  kind?: OrderKind;
  createdAt: Date;
  dueAt?: Date | null;
  acceptBy?: Date | null;
  rateBy?: Date | null;
  overdue?: boolean;
  assignee?: { openid: string; name: string } | null;
  requester?: { openid: string; name: string };
  point?: OrgDoc;
}

/** An order as the order function stores it, in the given state (its timeline is the creation only). */
export function orderDoc(s: OrderSpec): OrderDoc {
  const path = pathOf(s.station);
  const requester = s.requester ?? { openid: 'demo-villager', name: '赵桂英' };
  const at = s.point ?? s.station;
  return {
    _id: s.id,
    requestKey: `${requester.openid}:${s.id}`,
    kind: s.kind ?? (s.level === 'station' ? 'wish' : 'whistle'),
    category: s.category,
    title: '帮忙量量血压',
    content: '家里老人血压高，腿脚不便，想请志愿者上门量一量。',
    photos: [],
    pointId: s.point?._id ?? null,
    pointName: s.point?.name ?? null,
    lat: at.lat,
    lng: at.lng,
    geo: geoPoint(at.lat, at.lng),
    stationId: s.station._id,
    stationName: s.station.name,
    path,
    level: s.level,
    ownerOrgId: path[{ center: 0, institute: 1, station: 2 }[s.level]],
    status: s.status,
    overdue: s.overdue ?? false,
    requester: { ...requester, householdId: null },
    contact: null,
    assignee: s.assignee ?? null,
    passedOver: [],
    dueAt: s.dueAt ?? null,
    acceptBy: s.acceptBy ?? null,
    rateBy: s.rateBy ?? null,
    fulfilledAt: s.status === 'fulfilled' ? s.createdAt : null,
    fulfilment: s.status === 'fulfilled' ? { note: '已上门量过血压。', photos: [], at: s.createdAt } : null,
    rating: null,
    events: [
      { from: null, to: 'submitted', type: 'created', by: requester.openid, byName: requester.name, at: s.createdAt },
    ],
    createdAt: s.createdAt,
    updatedAt: s.createdAt,
  };
}

/** A level for an open order: most are with their village, some climbed or were whistles, a few at the center. */
export function levelOf(r: Rand): OrderLevel {
  const x = r();
  return x < 0.8 ? 'station' : x < 0.97 ? 'institute' : 'center';
}
