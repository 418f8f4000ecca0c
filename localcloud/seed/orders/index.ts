/**
 * The demo orders (五单): a few hundred wishes and whistles in the demo institute, most of them around
 * the demo village, in every status, so that each demo identity opens a list with something in it —
 * the villager's own wishes (one fulfilled and waiting for her stars), the volunteer's dispatched,
 * accepted and fulfilled tasks, the station head's reviews and dispatches, orders escalated to the
 * institute and one overdue (red) at the center.
 *
 * Every order is played step by step through the order domain's decisions (play.ts) — the same
 * fields, events and deadlines the order function and the timer set — and then moved in time so that its last step lies in the past and no deadline it still
 * waits on has passed (the one red order excepted). Volunteers' load and rating counters are then set
 * from the orders. Deterministic: a seeded PRNG and the given `now`, no clock, no Math.random.
 */
import { rand, type Rand } from '../random';
import type { Engine } from '../../db/engine';
import type { OrgDoc } from '../../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../../cloudfunctions/shared/org/domain/model';
import type { HouseholdDoc, UserDoc, VolunteerDoc } from '../../../cloudfunctions/shared/user/domain/model';
import type { OrderDoc } from '../../../cloudfunctions/shared/order/domain/model';
import { DEFAULT_ORDER_SETTINGS, type OrderSettings } from '../../../typings/order';
import { castOf, shortName } from './cast';
import { placement, Play, shift, HOUR, type Actor, type Helper } from './play';
import { storiesOf, type Story } from './stories';
import type { OrderStatus } from '../../../typings/order';
import { COMMENTS, DECLINE_REASONS, REJECT_REASONS, REOPEN_REASON, SURNAMES } from './words';
import { storedPhone } from '../../phonekeys';

/** A volunteer carries at most this many dispatched or accepted orders. */
const MAX_LOAD = 3;

export interface OrderSeed {
  orders: OrderDoc[];
  users: UserDoc[];
  households: HouseholdDoc[];
  /** Load and rating counters of every volunteer, from the orders. */
  counters: Map<string, { load: number; ratingSum: number; ratingCount: number }>;
}

const FINISHED: readonly OrderStatus[] = ['closed', 'rejected', 'cancelled'];

/** The orders of the demo county, from the network and the people already seeded. Pure. */
export function generateOrders(
  network: OrgDoc[],
  people: { users: UserDoc[]; volunteers: VolunteerDoc[] },
  now: Date,
  settings: OrderSettings = DEFAULT_ORDER_SETTINGS,
): OrderSeed {
  const r = rand(0x0d3d2024);
  const cast = castOf(network, people.users, people.volunteers, now, r);
  const byId = new Map(network.map((d) => [d._id, d]));
  const points = new Map<string, OrgDoc[]>();
  for (const d of network) {
    if (d.level !== 'point' || !d.parentId) continue;
    const list = points.get(d.parentId) ?? [];
    list.push(d);
    points.set(d.parentId, list);
  }
  const stories = storiesOf(cast, people.users, byId, r);

  // Who carries what at the end: the demo volunteer only their own stories; nobody more than MAX_LOAD.
  const load = new Map<string, number>();
  const helperOf = (openid: string) => cast.helpers.find((h) => h.openid === openid)!;
  const households = new Map([...people.users, ...cast.extraUsers].map((u) => [u.openid, u.householdId]));
  const eligible = (o: OrderDoc, capped: boolean): Helper[] =>
    cast.helpers.filter(
      (h) =>
        h.openid !== 'demo-volunteer' &&
        h.areas.includes(o.ownerOrgId) &&
        h.skills.includes(o.category) &&
        h.openid !== o.requester.openid &&
        !o.passedOver.includes(h.openid) &&
        (!capped || (load.get(h.openid) ?? 0) < MAX_LOAD),
    );
  /** Near ones first, as a dispatcher would choose; a little chance in it. */
  const choose = (r: Rand, o: OrderDoc, pool: Helper[]): Helper => {
    const ranked = [...pool].sort(
      (a, b) =>
        Number(b.stationIds.includes(o.stationId)) - Number(a.stationIds.includes(o.stationId)) ||
        (load.get(a.openid) ?? 0) - (load.get(b.openid) ?? 0) ||
        a.openid.localeCompare(b.openid),
    );
    return ranked[Math.floor(r() * Math.min(3, ranked.length))];
  };
  const responsible = (o: OrderDoc): Actor =>
    o.level === 'station'
      ? cast.heads.get(o.stationId)!
      : o.level === 'institute'
        ? cast.instituteAdmin
        : cast.centerAdmin;

  /**
   * Plays one story from its own seed at a time of day. Answers the order and who, if anyone, carries
   * it at the end (counted against MAX_LOAD once the order is placed).
   */
  const play = (story: Story, seed: number, phase: number): { p: Play; carrier?: string } => {
    const r = rand(seed);
    const station = byId.get(story.stationId)!;
    const short = shortName(station);
    const fill = (s: string) => s.replaceAll('{姓}', r.pick(SURNAMES)).replaceAll('{村}', short);
    const atPoint = r.chance(0.55) ? r.pick(points.get(station._id) ?? []) : undefined;
    const p = new Play(
      r,
      settings,
      phase,
      {
        _id: `seed-${seed}`,
        requestKey: '',
        kind: story.need.kind,
        category: story.need.category,
        title: fill(story.need.title),
        content: fill(story.need.content),
        photos: [],
        pointId: atPoint?._id ?? null,
        pointName: atPoint?.name ?? null,
        lat: atPoint?.lat ?? station.lat,
        lng: atPoint?.lng ?? station.lng,
        stationId: station._id,
        stationName: station.name,
        path: pathOf(station),
        requester: {
          openid: story.requester.openid,
          name: story.requester.name,
          householdId: households.get(story.requester.openid) ?? null,
        },
        contact: r.chance(0.7)
          ? {
              phone: `1${r.pick(['39', '38', '52', '58', '87'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
              address: `${short}${1 + Math.floor(r() * 12)}组${1 + Math.floor(r() * 60)}号`,
            }
          : null,
      },
      story.requester,
    );
    const o = p.o;
    const final = story.final;
    let carrier: string | undefined;
    const capped = final === 'dispatched' || final === 'accepted';
    /** Someone who serves the order's scope now; when nobody does, it waits and climbs a level. */
    const take = (): Helper => {
      if (story.helper) return helperOf(story.helper);
      for (;;) {
        const pool = eligible(o, capped);
        if (pool.length) return choose(r, o, pool);
        if (o.level === 'center') throw new Error(`seed: nobody can take ${o.category} anywhere`);
        p.escalate(cast.names);
      }
    };

    // 审核: late reviews climb first; rejections and early cancellations end here.
    if (story.lateReview && o.level !== 'center') p.escalate(cast.names);
    if (final === 'submitted') return { p };
    if (final === 'cancelled' && story.cancelFrom === 'submitted') {
      p.wait(0.3, 10);
      p.cancel(story.requester);
      return { p };
    }
    p.wait(0.3, 18);
    if (final === 'rejected') {
      p.review(responsible(o), false, r.pick(REJECT_REASONS));
      return { p };
    }
    p.review(responsible(o), true);

    // 派单 history: nobody in time (it climbs), or a first volunteer who declined or let it lapse.
    for (let k = 0; k < (story.lateTake ?? 0); k++) p.escalate(cast.names);
    if (story.declined && !o.overdue) {
      const pool = eligible(o, false);
      if (pool.length) {
        p.wait(0.3, 8);
        p.dispatch(responsible(o), choose(r, o, pool));
        if (story.declined === 'declined') {
          p.wait(0.5, 8);
          p.decline(r.pick(DECLINE_REASONS));
        } else p.skip();
      }
    }
    if (final === 'open') return { p };
    if (final === 'cancelled' && story.cancelFrom === 'open') {
      p.wait(0.5, 20);
      p.cancel(story.requester);
      return { p };
    }

    // 接单: dispatched by whoever is responsible now, or claimed from the hall.
    const v = take();
    if (capped) carrier = v.openid;
    p.wait(0.3, 16);
    if (story.claim && final !== 'dispatched' && final !== 'cancelled') p.claim(v);
    else {
      p.dispatch(responsible(o), v);
      if (final === 'dispatched') return { p, carrier };
      if (final === 'cancelled') {
        p.wait(0.3, 6);
        p.cancel(story.requester);
        return { p };
      }
      p.wait(0.2, 8);
      p.accept();
    }
    if (final === 'accepted') return { p, carrier };

    // 销单 and 评单; a reopened one is done twice, by a second volunteer.
    if (story.reopened) {
      p.wait(2, 3 * 24);
      p.fulfil(story.need.done);
      p.wait(0.5, 24);
      p.rate(story.requester, 3, COMMENTS[3][0]);
      p.wait(1, 24);
      p.reopen(story.requester, REOPEN_REASON);
      const w = take();
      p.wait(0.3, 16);
      p.dispatch(responsible(o), w);
      p.wait(0.2, 8);
      p.accept();
    }
    p.wait(2, 5 * 24);
    p.fulfil(story.need.done);
    if (final === 'fulfilled') return { p };
    if (story.autoClose && !story.helper) p.autoClose();
    else {
      p.wait(0.5, 4 * 24);
      const stars = story.stars ?? 5;
      p.rate(story.requester, stars, story.comment ?? r.pick(COMMENTS[stars]));
    }
    return { p };
  };

  // Each story at a time of day that lets it sit in time as it should (most fit the first one).
  const orders: OrderDoc[] = [];
  for (const story of stories) {
    const seed = Math.floor(r() * 2 ** 32);
    const finished = FINISHED.includes(story.final);
    let done = false;
    for (let k = 0; k < 12 && !done; k++) {
      const phase = Math.round(r.between(8, 20) * HOUR);
      const { p, carrier } = play(story, seed, phase);
      const at = placement(p, r, now.getTime(), finished, k === 11);
      if (at === null) continue;
      shift(p.o, at);
      if (carrier) load.set(carrier, (load.get(carrier) ?? 0) + 1);
      orders.push(p.o);
      done = true;
    }
  }

  // In order of posting; ids and request keys from that order.
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  orders.forEach((o, i) => {
    o._id = `demo-order-${String(i + 1).padStart(4, '0')}`;
    o.requestKey = `${o.requester.openid}:${o._id}`;
  });

  const counters = new Map(people.volunteers.map((v) => [v.openid, { load: 0, ratingSum: 0, ratingCount: 0 }]));
  for (const o of orders) {
    const c = o.assignee ? counters.get(o.assignee.openid) : undefined;
    if (!c) continue;
    if (o.status === 'dispatched' || o.status === 'accepted') c.load += 1;
    if (o.status === 'closed' && o.rating) {
      c.ratingSum += o.rating.stars;
      c.ratingCount += 1;
    }
  }
  return { orders, users: cast.extraUsers, households: cast.extraHouseholds, counters };
}

/** Loads the demo orders (after the network and the people) and sets the volunteers' counters. */
export function seedOrders(engine: Engine, network: OrgDoc[], now: Date): { counts: Record<string, number> } {
  const users = engine.find('users', { query: {} }) as unknown as UserDoc[];
  const volunteers = engine.find('volunteers', { query: {} }) as unknown as VolunteerDoc[];
  const seed = generateOrders(network, { users, volunteers }, now);
  if (seed.users.length) engine.insert('users', seed.users as unknown as Record<string, unknown>[]);
  if (seed.households.length) engine.insert('households', seed.households as unknown as Record<string, unknown>[]);
  // Stored as the functions store them: the contact's phone sealed.
  const stored = seed.orders.map((o) =>
    o.contact?.phone ? { ...o, contact: { ...o.contact, phone: storedPhone(o.contact.phone).phone } } : o,
  );
  engine.insert('orders', stored as unknown as Record<string, unknown>[]);
  for (const [openid, c] of seed.counters) {
    engine.update('volunteers', {
      query: { _id: openid },
      update: { $set: c },
      multi: false,
      upsert: false,
      merge: true,
    });
  }
  return {
    counts: {
      users: engine.count('users', {}),
      households: engine.count('households', {}),
      orders: seed.orders.length,
    },
  };
}
