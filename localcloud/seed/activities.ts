/**
 * Demo activities at the demo station's practice points: one running now (so the rotating code, the
 * scan and the live roll can be tried at once), two coming up, one last week with its check-ins and
 * hours, and an honour record. Check-ins and hours are made by the domain's own decisions (decideScan
 * with a real signed code), not by a second copy of them. Deterministic apart from the clock.
 */
import type { Engine } from '../db/engine';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../cloudfunctions/shared/org/domain/model';
import { geoPoint } from '../../cloudfunctions/shared/org/domain/geo';
import { checkinScene, readScene, type Scene } from '../../cloudfunctions/shared/activity/domain/code';
import { decideScan } from '../../cloudfunctions/shared/activity/domain/decide';
import type { ActivityDoc, CheckinDoc, HoursDoc, SignupDoc } from '../../cloudfunctions/shared/activity/domain/model';
import { checkinId } from '../../cloudfunctions/shared/activity/domain/model';
import { DEFAULT_ACTIVITY_SETTINGS } from '../../typings/activity';
import type { Category } from '../../typings/domain';
import { DEMO_STATION_ID } from './network';

const MIN = 60_000;
type Rows = Record<string, unknown>[];

export function seedActivities(engine: Engine, network: OrgDoc[], now: Date): { counts: Record<string, number> } {
  const station = network.find((d) => d._id === DEMO_STATION_ID);
  const points = network.filter((d) => d.parentId === DEMO_STATION_ID && d.level === 'point');
  if (!station || points.length === 0) return { counts: {} };
  const crowd = (
    engine.find('volunteers', { query: { stationIds: DEMO_STATION_ID }, limit: 40 }) as { _id: string; name: string }[]
  )
    .filter((v) => v._id !== 'demo-volunteer')
    .slice(0, 20);
  const activities: ActivityDoc[] = [];
  const signups: SignupDoc[] = [];
  const checkins: CheckinDoc[] = [];
  const hours: HoursDoc[] = [];

  const make = (
    n: number,
    point: OrgDoc,
    title: string,
    category: Category,
    startMin: number,
    over: Partial<ActivityDoc> = {},
  ) => {
    const startAt = new Date(now.getTime() + startMin * MIN);
    const a: ActivityDoc = {
      _id: `demo${String(n).padStart(6, '0')}`,
      requestKey: `seed:activity:${n}`,
      title,
      category,
      description: `${point.name}举办，欢迎参加。`,
      pointId: point._id,
      pointName: point.name,
      stationId: station._id,
      stationName: station.name,
      path: pathOf(point),
      lat: point.lat,
      lng: point.lng,
      geo: geoPoint(point.lat, point.lng),
      address: point.address,
      startAt,
      endAt: new Date(startAt.getTime() + 120 * MIN),
      capacity: 30,
      signedUp: 0,
      seatsLeft: 30,
      signupRequired: true,
      audience: 'volunteers',
      status: 'open',
      cancelReason: null,
      secret: `demo-secret-${n}-${point._id}`,
      slotSeconds: DEFAULT_ACTIVITY_SETTINGS.slotSeconds,
      closed: false,
      createdBy: 'demo-station-head',
      createdAt: new Date(startAt.getTime() - 3 * 24 * 60 * MIN),
      updatedAt: new Date(startAt.getTime() - 3 * 24 * 60 * MIN),
      ...over,
    };
    activities.push(a);
    return a;
  };
  const signUp = (a: ActivityDoc, people: { _id: string; name: string }[]) => {
    for (const p of people) {
      signups.push({
        _id: checkinId(a._id, p._id),
        activityId: a._id,
        openid: p._id,
        status: 'signed',
        name: p.name,
        at: a.createdAt,
      });
    }
    a.signedUp += people.length;
    a.seatsLeft -= people.length;
  };
  /** A scan at `min` minutes after the start, decided as the function would decide it. */
  const scan = (
    a: ActivityDoc,
    p: { _id: string; name: string },
    min: number,
    location?: { lat: number; lng: number },
  ) => {
    const at = new Date(new Date(a.startAt).getTime() + min * MIN);
    const scene = readScene(checkinScene(a, at).scene) as Extract<Scene, { kind: 'checkin' }>;
    const key = checkinId(a._id, p._id);
    const existing = checkins.find((c) => c._id === key);
    const d = decideScan({
      activity: a,
      scene,
      checkin: existing,
      signup: signups.find((s) => s._id === key),
      caller: { openid: p._id, name: p.name, isVolunteer: true },
      location,
      now: at,
      settings: DEFAULT_ACTIVITY_SETTINGS,
    });
    if (d.kind === 'in') checkins.push(d.doc);
    if (d.kind === 'out' && existing) {
      Object.assign(existing, d.set);
      if (d.hours) hours.push(d.hours);
    }
  };

  const me = { _id: 'demo-volunteer', name: '张志愿' };
  const p = (i: number) => points[i % points.length];

  const running = make(1, p(0), '健康义诊：量血压、测血糖', 'health', -30);
  signUp(running, [me, ...crowd.slice(0, 12)]);
  for (const v of crowd.slice(0, 6)) scan(running, v, -10);
  const far = p(0).lat === null ? undefined : { lat: (p(0).lat ?? 0) + 0.045, lng: p(0).lng ?? 0 };
  if (crowd[6]) scan(running, crowd[6], 0, far);

  signUp(make(2, p(1), '送戏下乡：淮剧专场', 'arts', 24 * 60), crowd.slice(0, 12));
  make(3, p(2), '农家书屋读书会', 'education', 7 * 24 * 60, {
    signupRequired: false,
    audience: 'all',
    capacity: 100,
    seatsLeft: 100,
  });

  const past = make(4, p(0), '垃圾分类宣传', 'customs', -7 * 24 * 60);
  signUp(past, [me, ...crowd.slice(0, 8)]);
  for (const v of [me, ...crowd.slice(0, 8)]) scan(past, v, -5);
  for (const v of [me, ...crowd.slice(0, 7)]) scan(past, v, 100);
  if (crowd[0]) scan(past, crowd[0], 101); // a replay after check-out: refused, changes nothing

  const honourAt = new Date(now.getTime() - 14 * 24 * 60 * MIN);
  hours.push({
    _id: 'seed-honour-1',
    requestKey: 'seed:honour:1',
    openid: 'demo-volunteer',
    kind: 'honour',
    source: 'honour',
    minutes: 180,
    title: '汛期防汛值守',
    category: null,
    placeName: station.name,
    path: pathOf(station),
    at: honourAt,
    activityId: null,
    reason: '汛期夜间值守三小时，当时没有扫码',
    by: 'demo-station-head',
    correctsId: null,
    createdAt: honourAt,
  });

  engine.insert('activities', activities as unknown as Rows);
  engine.insert('signups', signups as unknown as Rows);
  engine.insert('checkins', checkins as unknown as Rows);
  engine.insert('hours', hours as unknown as Rows);
  return { counts: { activities: activities.length, checkins: checkins.length, hoursRecords: hours.length } };
}
