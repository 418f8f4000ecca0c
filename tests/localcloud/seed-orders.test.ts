/**
 * The demo orders: a living county for whoever opens the demo. Every status, kind and category; every
 * timeline a path through the state machine with the deadlines machine.ts sets; volunteers' counters
 * that add up; and each demo identity finds something in their lists through the real order function.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Order, OrderApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { CATEGORIES } from '../../typings/domain';
import {
  DEFAULT_ORDER_SETTINGS,
  ORDER_EVENTS,
  ORDER_KIND_INFO,
  ORDER_KINDS,
  ORDER_STATUSES,
  type OrderLevel,
  type OrderStatus,
} from '../../typings/order';
import type { OrderAction } from '../../typings/api';
import type { Engine } from '../../localcloud/db/engine';
import {
  acceptBy,
  dueAt,
  levelAbove,
  ownerAt,
  rateBy,
  stageHours,
  TRANSITIONS,
} from '../../cloudfunctions/shared/order/domain/machine';
import type { OrderDoc } from '../../cloudfunctions/shared/order/domain/model';
import type { UserDoc, VolunteerDoc } from '../../cloudfunctions/shared/user/domain/model';
import { generateNetwork } from '../../localcloud/seed/network';
import { seedPeople } from '../../localcloud/seed/people';
import { generateOrders } from '../../localcloud/seed/orders';
import { ROOT } from '../../scripts/lib/project';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { openPhone, parseKey } from '../../cloudfunctions/shared/user/domain/phone';
import { phoneKeyEnv } from '../../localcloud/phonekeys';

let cloud: TestCloud;
let orders: OrderDoc[];
let now: number;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  // The moment the seed was generated for (the clock has moved on while it loaded).
  now = cloud.demo!.at.getTime();
  orders = cloud.engine.find('orders', { query: {}, limit: 100_000 }) as unknown as OrderDoc[];
});

afterAll(async () => {
  await cloud.close();
});

const S = DEFAULT_ORDER_SETTINGS;
const t = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());
const count = <T>(xs: readonly T[], key: (x: T) => string) =>
  xs.reduce<Record<string, number>>((m, x) => ({ ...m, [key(x)]: (m[key(x)] ?? 0) + 1 }), {});

/** The people transitions (event type → the action that makes it), from the contract's event table. */
const ACTION_OF = Object.fromEntries(
  Object.entries(ORDER_EVENTS).flatMap(([type, info]) => (info.action ? [[type, info.action]] : [])),
) as Record<string, OrderAction>;
const TO_OF: Record<string, OrderStatus | 'same'> = {
  reviewed: 'open',
  rejected: 'rejected',
  dispatched: 'dispatched',
  accepted: 'accepted',
  claimed: 'accepted',
  declined: 'open',
  fulfilled: 'fulfilled',
  rated: 'closed',
  cancelled: 'cancelled',
  reopened: 'open',
  // The timer's (cloudfunctions/shared/order/timer.ts).
  skipped: 'open',
  escalated: 'same',
  overdue: 'same',
  autoClosed: 'closed',
};
const SYSTEM_FROM: Record<string, readonly OrderStatus[]> = {
  skipped: ['dispatched'],
  escalated: ['submitted', 'open', 'dispatched', 'accepted'],
  overdue: ['submitted', 'open', 'dispatched', 'accepted'],
  autoClosed: ['fulfilled'],
};

/**
 * Replays an order's timeline through the state machine: each step allowed from where the order was,
 * by the right kind of actor, before the deadline it waited on (the timer's steps at or after it), and
 * the deadlines and level each step leaves — compared at the end with what the order holds.
 */
function replay(o: OrderDoc): string[] {
  const problems: string[] = [];
  const fail = (i: number, why: string) => problems.push(`${o._id} event ${i} (${o.events[i]?.type}): ${why}`);
  const [first] = o.events;
  if (!first || first.type !== 'created' || first.from !== null || first.to !== 'submitted') {
    return [`${o._id}: does not start with created null → submitted`];
  }
  let status: OrderStatus = 'submitted';
  let level: OrderLevel = ORDER_KIND_INFO[o.kind].startsAt;
  let due: number | null = t(dueAt('submitted', level, S, new Date(first.at)));
  let accept: number | null = null;
  let rate: number | null = null;
  let overdue = false;
  let last = t(first.at)!;
  if (t(first.at) !== t(o.createdAt)) fail(0, 'createdAt is not the created event');
  o.events.slice(1).forEach((e, k) => {
    const i = k + 1;
    const at = t(e.at)!;
    if (at < last) fail(i, 'goes back in time');
    last = at;
    if (e.from !== status) fail(i, `from ${e.from}, but the order was ${status}`);
    const to = TO_OF[e.type];
    if (!to) {
      fail(i, 'unknown event type');
      return;
    }
    const expectTo = to === 'same' ? status : to;
    if (e.to !== expectTo) fail(i, `to ${e.to}, expected ${expectTo}`);
    const system = e.type in SYSTEM_FROM;
    if (system) {
      if (e.by !== 'system') fail(i, 'a timer step not by system');
      if (!SYSTEM_FROM[e.type].includes(status)) fail(i, `the timer does not ${e.type} a ${status} order`);
    } else {
      if (e.by === 'system') fail(i, 'a person’s step by system');
      if (!Object.values(TRANSITIONS[ACTION_OF[e.type]]).flat().includes(status))
        fail(i, `${ACTION_OF[e.type]} is not allowed from ${status}`);
      const waiting = [overdue ? null : due, accept, rate].filter((d): d is number => d !== null);
      if (waiting.some((d) => at > d)) fail(i, 'a person acted after a deadline the timer would have acted on');
      const who =
        e.type === 'created' || e.type === 'rated' || e.type === 'cancelled' || e.type === 'reopened'
          ? o.requester.openid
          : undefined;
      if (who && e.by !== who) fail(i, 'not by the requester');
    }
    const when = new Date(at);
    switch (e.type) {
      case 'reviewed':
      case 'declined':
      case 'reopened':
        due = t(dueAt('open', level, S, when));
        accept = null;
        rate = null;
        break;
      case 'rejected':
      case 'cancelled':
        due = null;
        accept = null;
        break;
      case 'dispatched':
        accept = t(acceptBy(S, when));
        break;
      case 'accepted':
      case 'claimed':
        accept = null;
        due = t(dueAt('accepted', level, S, when));
        break;
      case 'skipped':
        if (accept === null || at < accept) fail(i, 'skipped before acceptBy');
        accept = null;
        break;
      case 'escalated': {
        if (due === null || at < due) fail(i, 'escalated before its deadline');
        const up = levelAbove(level);
        if (!up) fail(i, 'escalated above the center');
        else level = up;
        due = t(dueAt(status, level, S, when));
        break;
      }
      case 'overdue':
        if (level !== 'center') fail(i, 'red below the center');
        if (due === null || at < due) fail(i, 'red before its deadline');
        overdue = true;
        break;
      case 'fulfilled':
        due = null;
        rate = t(rateBy(S, when));
        break;
      case 'rated':
        rate = null;
        break;
      case 'autoClosed':
        if (rate === null || at < rate) fail(i, 'closed automatically before rateBy');
        rate = null;
        break;
    }
    status = e.to;
  });
  if (status !== o.status) problems.push(`${o._id}: ends ${status} but is ${o.status}`);
  if (level !== o.level) problems.push(`${o._id}: climbed to ${level} but is held at ${o.level}`);
  if (ownerAt(o.path, o.level) !== o.ownerOrgId) problems.push(`${o._id}: owner ${o.ownerOrgId} is not its ${o.level}`);
  if (overdue !== o.overdue) problems.push(`${o._id}: overdue ${o.overdue}, timeline says ${overdue}`);
  if (due !== t(o.dueAt))
    problems.push(`${o._id}: dueAt ${String(o.dueAt)}, timeline says ${String(due && new Date(due))}`);
  if (accept !== t(o.acceptBy)) problems.push(`${o._id}: acceptBy does not follow from the timeline`);
  if (rate !== t(o.rateBy)) problems.push(`${o._id}: rateBy does not follow from the timeline`);
  if (t(o.updatedAt) !== last) problems.push(`${o._id}: updatedAt is not its last step`);
  if (last > now) problems.push(`${o._id}: a step in the future`);
  return problems;
}

describe('the demo orders', () => {
  it('are a few hundred, in every status, of both kinds and all ten categories', () => {
    expect(orders.length).toBeGreaterThanOrEqual(300);
    expect(orders.length).toBeLessThanOrEqual(600);
    expect(Object.keys(count(orders, (o) => o.status)).sort()).toEqual([...ORDER_STATUSES].sort());
    expect(Object.keys(count(orders, (o) => o.kind)).sort()).toEqual([...ORDER_KINDS].sort());
    expect(Object.keys(count(orders, (o) => o.category)).sort()).toEqual([...CATEGORIES].sort());
  });

  it('have titles and contents the create action would accept, and no photo that is not checked', () => {
    for (const o of orders) {
      expect([o.title, o.title.length >= 4 && o.title.length <= 30]).toEqual([o.title, true]);
      expect([o.content, o.content.length >= 5 && o.content.length <= 500]).toEqual([o.content, true]);
      expect(`${o.title}${o.content}`).not.toMatch(/[{}]/);
      expect(ORDER_KIND_INFO[o.kind].categories).toContain(o.category);
      const photos = [...o.photos, ...(o.fulfilment?.photos ?? [])];
      expect(photos.every((p) => p.check === 'pass')).toBe(true);
      expect(o.requestKey).toBe(`${o.requester.openid}:${o._id}`);
    }
  });

  it('each follow the state machine from creation to where they are, with the deadlines it sets', () => {
    expect(orders.flatMap(replay)).toEqual([]);
  });

  it('(the replay itself catches a timeline that breaks the rules)', () => {
    const closed = orders.find((o) => o.status === 'closed' && o.events.some((e) => e.type === 'dispatched'))!;
    const copy = (): OrderDoc =>
      JSON.parse(JSON.stringify(closed), (k, v) => (/At$|^at$|By$/.test(k) && v ? new Date(v) : v));
    const swapped = copy();
    [swapped.events[1], swapped.events[2]] = [swapped.events[2], swapped.events[1]];
    expect(replay(swapped).join()).toMatch(/goes back in time|from open, but the order was submitted/);
    const late = copy();
    const accepted = late.events.findIndex((e) => e.type === 'accepted' || e.type === 'claimed');
    late.events[accepted].at = new Date(t(late.events[accepted - 1].at)! + 13 * 3_600_000);
    expect(replay(late).join()).toMatch(/after a deadline|goes back in time/);
    const moved = copy();
    moved.level = 'center';
    expect(replay(moved).join()).toMatch(/held at center/);
  });

  it('wait on no deadline that has passed, but for the one turned red at the center', () => {
    const waiting = orders.filter((o) => !o.overdue);
    const due = waiting.filter((o) => [o.dueAt, o.acceptBy, o.rateBy].some((d) => d !== null && t(d)! <= now));
    expect(due.map((o) => o._id)).toEqual([]);
    const clockless = orders.filter((o) => stageHours(o.status, o.level, S) !== null && o.dueAt === null);
    expect(clockless.map((o) => o._id)).toEqual([]);
    const red = orders.filter((o) => o.overdue);
    expect(red.length).toBeGreaterThanOrEqual(1);
    expect(red.every((o) => o.level === 'center' && t(o.dueAt)! < now)).toBe(true);
  });

  it('keep every volunteer’s load and rating counters as the orders say', () => {
    const volunteers = cloud.engine.find('volunteers', { query: {}, limit: 100_000 }) as unknown as VolunteerDoc[];
    for (const v of volunteers) {
      const mine = orders.filter((o) => o.assignee?.openid === v.openid);
      const load = mine.filter((o) => o.status === 'dispatched' || o.status === 'accepted').length;
      const rated = mine.filter((o) => o.status === 'closed' && o.rating);
      expect({ who: v.openid, load: v.load, ratingSum: v.ratingSum, ratingCount: v.ratingCount }).toEqual({
        who: v.openid,
        load,
        ratingSum: rated.reduce((s, o) => s + o.rating!.stars, 0),
        ratingCount: rated.length,
      });
      expect(v.load).toBeLessThanOrEqual(3);
    }
    // The demo volunteer's record stays as the people seed describes it: three jobs, 5, 5 and 4 stars.
    expect(volunteers.find((v) => v.openid === 'demo-volunteer')).toMatchObject({ ratingSum: 14, ratingCount: 3 });
  });

  it('are posted by people of the station, and taken by volunteers who serve it and have the skill', () => {
    const users = new Map(
      (cloud.engine.find('users', { query: {}, limit: 100_000 }) as unknown as UserDoc[]).map((u) => [u.openid, u]),
    );
    const volunteers = new Map(
      (cloud.engine.find('volunteers', { query: {}, limit: 100_000 }) as unknown as VolunteerDoc[]).map((v) => [
        v.openid,
        v,
      ]),
    );
    for (const o of orders) {
      expect([o._id, users.get(o.requester.openid)?.stationId]).toEqual([o._id, o.stationId]);
      if (o.assignee && o.status !== 'cancelled') {
        const v = volunteers.get(o.assignee.openid);
        expect([o._id, v?.skills.includes(o.category), v?.areas.includes(o.ownerOrgId)]).toEqual([o._id, true, true]);
        expect(o.passedOver).not.toContain(o.assignee.openid);
      }
    }
  });

  it('lie in the demo institute, most of them in and around the demo village', () => {
    expect(orders.every((o) => o.path[1] === 'haian-01')).toBe(true);
    const byStation = count(orders, (o) => o.stationId);
    expect(Object.keys(byStation).length).toBeGreaterThan(10);
    const [top] = Object.entries(byStation).sort((a, b) => b[1] - a[1]);
    expect(top[0]).toBe('haian-01-001');
    expect(
      orders.filter((o) => o.level === 'institute' && o.events.some((e) => e.type === 'escalated')).length,
    ).toBeGreaterThan(3);
  });

  it('are the same for the same moment, every time', () => {
    const network = generateNetwork(new Date(now));
    const people = () => {
      const held: Record<string, unknown[]> = {};
      const engine = { insert: (c: string, docs: unknown[]) => (held[c] = docs) } as unknown as Engine;
      seedPeople(engine, network, new Date(now));
      return { users: held.users as UserDoc[], volunteers: held.volunteers as VolunteerDoc[] };
    };
    const a = generateOrders(network, people(), new Date(now));
    const b = generateOrders(network, people(), new Date(now));
    expect(a.orders).toEqual(b.orders);
    // Stored with the contact's phone sealed (a fresh IV each time): the same once opened.
    const key = parseKey(phoneKeyEnv().PHONE_KEY);
    expect(orders.filter((o) => o.contact?.phone && !/^pe1:/.test(o.contact.phone))).toEqual([]);
    const stored = orders.map((o) =>
      o.contact?.phone ? { ...o, contact: { ...o.contact, phone: openPhone(o.contact.phone, key) } } : o,
    );
    expect(JSON.parse(JSON.stringify(a.orders))).toEqual(JSON.parse(JSON.stringify(stored)));
  });
});

describe('what the demo identities find through the order function', () => {
  type Req<A extends keyof OrderApi> = { action: A } & OrderApi[A]['req'];
  const call = async <A extends keyof OrderApi>(openid: string, event: Req<A>): Promise<OrderApi[A]['res']> => {
    const r = await cloud.call<Result<OrderApi[A]['res']>>('order', event, openid);
    if (!r.ok) throw new Error(`${openid} ${event.action}: ${JSON.stringify(r.error)}`);
    return r.data;
  };
  const statuses = (list: { status: OrderStatus }[]) => new Set(list.map((o) => o.status));
  const get = (openid: string, id: string): Promise<Order> => call(openid, { action: 'get', id });

  it('the villager: her own wishes in several statuses, one fulfilled and waiting for her stars', async () => {
    const { orders: mine } = await call('demo-villager', { action: 'list', scope: 'mine' });
    expect(mine.length).toBeGreaterThanOrEqual(5);
    expect([...statuses(mine)]).toEqual(
      expect.arrayContaining(['submitted', 'open', 'accepted', 'fulfilled', 'closed']),
    );
    const waiting = mine.find((o) => o.status === 'fulfilled')!;
    const o = await get('demo-villager', waiting.id);
    expect(o.can).toContain('rate');
    expect(o.fulfilment?.note).toBeTruthy();
    expect(o.assignee?.openid).toBe('demo-volunteer');
  });

  it('the volunteer: one dispatched to them, one accepted, one fulfilled, and open ones in the hall', async () => {
    const { orders: assigned } = await call('demo-volunteer', { action: 'list', scope: 'assigned' });
    const by = count(assigned, (o) => o.status);
    expect(by).toMatchObject({ dispatched: 1, accepted: 1, fulfilled: 1, closed: 3 });
    const dispatched = await get('demo-volunteer', assigned.find((o) => o.status === 'dispatched')!.id);
    expect(dispatched.can).toEqual(['accept', 'decline']);
    const accepted = await get('demo-volunteer', assigned.find((o) => o.status === 'accepted')!.id);
    expect(accepted.can).toContain('fulfil');
    const { orders: hall } = await call('demo-volunteer', { action: 'hall' });
    expect(hall.length).toBeGreaterThan(0);
    expect(hall.every((o) => o.status === 'open' && ['health', 'technology', 'charity'].includes(o.category))).toBe(
      true,
    );
  });

  it('the station head: wishes to review and open ones to dispatch, with candidates', async () => {
    const { orders: toReview } = await call('demo-station-head', {
      action: 'list',
      scope: 'area',
      status: ['submitted'],
    });
    expect(toReview.length).toBeGreaterThanOrEqual(3);
    expect((await get('demo-station-head', toReview[0].id)).can).toContain('review');
    const { orders: open } = await call('demo-station-head', {
      action: 'list',
      scope: 'area',
      status: ['open'],
      level: 'station',
    });
    expect(open.length).toBeGreaterThanOrEqual(2);
    const { candidates } = await call('demo-station-head', { action: 'candidates', id: open[0].id });
    expect(candidates.length).toBeGreaterThan(0);
  });

  it('the institute admin: whistles from the villages, and wishes escalated to the institute', async () => {
    const { orders: up } = await call('demo-institute-admin', {
      action: 'list',
      scope: 'area',
      level: 'institute',
      status: ['submitted', 'open', 'dispatched', 'accepted'],
    });
    expect(up.some((o) => o.kind === 'whistle')).toBe(true);
    const wish = up.find((o) => o.kind === 'wish')!;
    const o = await get('demo-institute-admin', wish.id);
    expect(o.events.map((e) => e.type)).toContain('escalated');
    expect(o.can.length).toBeGreaterThan(0);
  });

  it('the center admin: the whole county, and one order in red', async () => {
    const { orders: red } = await call('demo-center-admin', { action: 'list', scope: 'area', overdue: true });
    expect(red.length).toBeGreaterThanOrEqual(1);
    expect(red[0]).toMatchObject({ level: 'center', overdue: true });
    const { orders: all, nextPage } = await call('demo-center-admin', { action: 'list', scope: 'area' });
    expect(all.length).toBe(20);
    expect(nextPage).toBe(1);
  });

  const timer = fs.existsSync(path.join(ROOT, 'cloudfunctions', 'cron', 'index.js')) ? it : it.skip;
  timer('leave the timer nothing to do right after loading', async () => {
    const r = await cloud.call<Result<Record<string, unknown>>>('cron', {});
    expect(r).toMatchObject({ ok: true, data: { skipped: 0, escalated: 0, overdue: 0, autoClosed: 0 } });
  });
});
