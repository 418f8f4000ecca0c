/**
 * 个人信息保护法, end to end through the local cloud: a person sees what is held about them (user.myData),
 * closes their account (user.close) with their records kept for the county under 已注销用户, phone
 * numbers are stored sealed (no number in clear in any collection, read through the admin SDK), and
 * `npm run phones:encrypt` seals what an older version stored in clear.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Closed, Me, MyData } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { CLOSED_NAME } from '../../typings/domain';
import type { TestCloud } from '../helpers/localcloud';
import { demoOrders, type orderClient } from '../helpers/orders';
import { runScript } from '../helpers/process';
import { connectDatabase } from '../../scripts/lib/org-target';
import { ROOT } from '../../scripts/lib/project';
import type { OrderDoc } from '../../cloudfunctions/shared/order/domain/model';
import type { HouseholdDoc, UserDoc } from '../../cloudfunctions/shared/user/domain/model';

const demo = demoOrders();
let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;
beforeAll(() => {
  cloud = demo.cloud();
  orders = demo.orders();
});

const STATION = 'haian-01-001';
const userCall = <R>(openid: string, event: Record<string, unknown>) => cloud.call<Result<R>>('user', event, openid);
const ok = async <T>(p: Promise<Result<T>>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data;
};
const myData = (openid: string, req: Record<string, unknown> = {}) =>
  ok(userCall<MyData>(openid, { action: 'myData', ...req }));
const raw = <T>(coll: string, query: Record<string, unknown>) => cloud.engine.find(coll, { query }) as unknown as T[];

/** A volunteer approved by the demo station head. */
async function volunteer(openid: string, name: string, phone: string): Promise<void> {
  await ok(
    userCall<Me>(openid, { action: 'registerVolunteer', name, phone, skills: ['health'], stationIds: [STATION] }),
  );
  await ok(userCall('demo-station-head', { action: 'reviewVolunteer', openid, stationId: STATION, approve: true }));
}

describe('user.myData: what the project holds about me', () => {
  it('shows my profile, household (the others masked), roles, volunteer record and my lists', async () => {
    const id = await orders.post('demo-villager', { contact: { phone: '13955556666', address: '凤山村三组18号' } });
    await orders.ok(orders.call('demo-station-head', { action: 'review', id, approve: true }));
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
    // The holder sees the contact: a reveal of the villager's phone, which the villager can see.
    expect((await orders.get('demo-volunteer', id)).contact?.phone).toBe('13955556666');

    const d = await myData('demo-villager');
    expect(d.about).toMatchObject({ openid: 'demo-villager', name: '赵桂英', station: { id: STATION } });
    expect(d.about!.roles).toEqual([expect.objectContaining({ role: 'villager', orgId: STATION })]);
    expect(d.about!.household).toMatchObject({ id: '10000001', isHead: true });
    expect(d.about!.household!.members).toEqual([
      { name: '赵桂英', isHead: true, isMe: true },
      { name: '赵**', isHead: false, isMe: false },
    ]);
    expect(typeof d.about!.household!.balance).toBe('number');
    expect(d.about!.volunteer).toBeNull();
    expect(d.lists.requested!.items.map((o) => o.id)).toContain(id);
    expect(d.lists.reveals!.items[0]).toMatchObject({ volunteerName: '张志愿', times: 1 });
    expect(Object.keys(d.lists).sort()).toEqual(['assigned', 'hours', 'points', 'requested', 'reveals']);

    // A volunteer sees their own phone in full, and the orders they hold.
    const v = await myData('demo-volunteer');
    expect(v.about!.volunteer!.phone).toBe('13800000001');
    expect(v.lists.assigned!.items.map((o) => o.id)).toContain(id);
    expect(v.about!.activeAssigned).toBeGreaterThanOrEqual(1);
  });

  it('pages a long list, one list at a time', async () => {
    for (let i = 0; i < 21; i += 1) await orders.post('demo-villager-son');
    const first = await myData('demo-villager-son', { list: 'requested' });
    expect(first.about).toBeUndefined();
    expect(Object.keys(first.lists)).toEqual(['requested']);
    expect(first.lists.requested!.items).toHaveLength(20);
    expect(first.lists.requested!.nextPage).toBe(1);
    const second = await myData('demo-villager-son', { list: 'requested', page: 1 });
    expect(second.lists.requested!.items.length).toBeGreaterThanOrEqual(1);
    const ids = new Set([...first.lists.requested!.items, ...second.lists.requested!.items].map((o) => o.id));
    expect(ids.size).toBe(first.lists.requested!.items.length + second.lists.requested!.items.length);
  });

  it('refuses a list that does not exist', async () => {
    expect(await userCall('demo-villager', { action: 'myData', list: 'everything' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  });
});

describe('user.close: 注销', () => {
  const closer = 'priv-closer';
  const member = 'priv-member';
  let household = '';
  let wish = '';
  let done = '';
  let held = '';

  beforeAll(async () => {
    const me = await ok(userCall<Me>(closer, { action: 'bind', stationId: STATION, name: '钱多多' }));
    household = me.household!.id;
    // A second member of the closer's household (written as a joined member is).
    await ok(userCall<Me>(member, { action: 'bind', stationId: STATION, name: '钱小小' }));
    const [h] = raw<HouseholdDoc>('households', { _id: household });
    cloud.engine.update('households', {
      query: { _id: household },
      update: { $set: { members: [...h.members, { openid: member, name: '钱小小' }] } },
      multi: false,
      upsert: false,
      merge: true,
    });
    cloud.engine.update('users', {
      query: { _id: member },
      update: { $set: { householdId: household } },
      multi: false,
      upsert: false,
      merge: true,
    });
    await volunteer(closer, '钱多多', '13712345678');

    // A wish nobody has started on (cancelled on closing), one done for them (kept, anonymised) and
    // one they hold as a volunteer (given back).
    wish = await orders.post(closer, { contact: { phone: '13712345678', address: '凤山村五组1号' } });
    await orders.ok(orders.call('demo-station-head', { action: 'review', id: wish, approve: true }));
    done = await orders.post(closer, { contact: { phone: '13712345678', address: '凤山村五组1号' } });
    await orders.ok(orders.call('demo-station-head', { action: 'review', id: done, approve: true }));
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id: done, volunteer: 'demo-volunteer' }));
    await orders.ok(orders.call('demo-volunteer', { action: 'accept', id: done }));
    await orders.ok(orders.call('demo-volunteer', { action: 'fulfil', id: done, note: '已经办好了' }));
    held = await orders.open({ category: 'health' });
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id: held, volunteer: closer }));
    await orders.ok(orders.call(closer, { action: 'accept', id: held }));
    expect((await orders.get(closer, held)).contact).not.toBeUndefined();
  });

  it('asks for a confirmation, and without it changes nothing', async () => {
    for (const bad of [{}, { confirm: false }, { confirm: 'yes' }]) {
      expect(await userCall(closer, { action: 'close', ...bad })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
    }
    expect(raw('messages', { openid: closer }).length).toBeGreaterThan(0);
    const [u] = raw<UserDoc>('users', { _id: closer });
    expect([u.name, u.closing, [...u.roleKeys].sort()]).toEqual([
      '钱多多',
      undefined,
      [`villager@${STATION}`, `volunteer@${STATION}`],
    ]);
  });

  it('refuses the last center admin, changing nothing', async () => {
    expect(raw<UserDoc>('users', { roleKeys: 'centerAdmin@haian' }).map((u) => u._id)).toEqual(['demo-center-admin']);
    expect(await userCall('demo-center-admin', { action: 'close', confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
    expect(raw<UserDoc>('users', { _id: 'demo-center-admin' })[0]).toMatchObject({
      name: '陈主任',
      roleKeys: ['centerAdmin@haian'],
    });
  });

  it('erases the person, lets go of what they hold, and keeps their records under 已注销用户', async () => {
    const r = await ok(userCall<Closed>(closer, { action: 'close', confirm: true }));
    expect(r).toEqual({ closed: true, shownAs: CLOSED_NAME, released: 1, cancelled: 1 });

    // The person is gone: no user record, no volunteer registration; a tombstone under the pseudonym.
    expect(raw('users', { _id: closer })).toEqual([]);
    expect(raw('volunteers', { _id: closer })).toEqual([]);
    const [tomb] = raw<UserDoc>('users', { 'closing.at': { $exists: true } });
    const pseudonym = tomb._id;
    expect(pseudonym).toMatch(/^closed-[0-9a-f]{24}$/);
    expect(tomb).toMatchObject({ name: null, roles: [], householdId: null });

    // The household passed to the next member.
    expect(raw<HouseholdDoc>('households', { _id: household })[0]).toMatchObject({
      headOpenid: member,
      headName: '钱小小',
      members: [{ openid: member, name: '钱小小' }],
    });

    // Orders: the wish cancelled with a reason, the held one back in the pool, the done one kept.
    const order = (id: string) => raw<OrderDoc>('orders', { _id: id })[0];
    expect(order(wish)).toMatchObject({ status: 'cancelled', contact: null });
    expect(order(wish).events.at(-1)).toMatchObject({ type: 'cancelled', by: pseudonym, byName: CLOSED_NAME });
    expect(order(wish).events.at(-1)!.note).toContain('注销');
    expect(order(held)).toMatchObject({ status: 'open', assignee: null });
    expect(order(held).passedOver).toContain(pseudonym);
    expect(order(held).events.at(-1)).toMatchObject({ type: 'declined', byName: CLOSED_NAME });
    expect(order(done)).toMatchObject({
      status: 'fulfilled',
      requester: { openid: pseudonym, name: CLOSED_NAME, householdId: null },
      contact: null,
    });
    const everything = JSON.stringify(cloud.engine.find('orders', { query: {} }));
    expect(everything).not.toContain(closer);
    expect(everything).not.toContain('钱多多');
    expect(JSON.stringify(cloud.engine.find('reveals', { query: {} }))).not.toContain(closer);
    // Their inbox went with them (the wish's review told them about it).
    expect(raw('messages', { openid: closer })).toEqual([]);

    // The station head still has the county's record, anonymised.
    expect((await orders.get('demo-station-head', done)).requester.name).toBe(CLOSED_NAME);
  });

  it('answers a retry as closed, and a later login is a new person', async () => {
    expect(await ok(userCall<Closed>(closer, { action: 'close', confirm: true }))).toMatchObject({ closed: true });
    const me = await ok(userCall<Me>(closer, { action: 'me' }));
    expect(me).toMatchObject({ isNew: true, name: null, household: null, volunteer: null, roles: [] });
    const d = await myData(closer);
    expect(d.lists.requested!.items).toEqual([]);
    expect(d.lists.assigned!.items).toEqual([]);
    expect(d.lists.reveals!.items).toEqual([]);
  });
});

describe('phones at rest', () => {
  const collections = () =>
    fs
      .readdirSync(path.join(ROOT, 'database', 'collections'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));

  /** Every document of every collection, read through the admin SDK as an export would. */
  async function clearPhones(): Promise<string[]> {
    type Q = {
      where(q: object): Q;
      orderBy(f: string, d: string): Q;
      limit(n: number): Q;
      get(): Promise<{ data?: Record<string, unknown>[] }>;
    };
    const db = connectDatabase<{ command: { gt(v: unknown): unknown }; collection(n: string): Q }>({
      kind: 'local',
      url: cloud.url,
    });
    const found: string[] = [];
    for (const name of collections()) {
      let last: unknown = null;
      for (;;) {
        const q =
          last === null ? db.collection(name).where({}) : db.collection(name).where({ _id: db.command.gt(last) });
        const docs = (await q.orderBy('_id', 'asc').limit(1000).get()).data ?? [];
        for (const d of docs) {
          // A number on its own: not a run of digits inside a hash or a sealed value (hex, base64url).
          const m = JSON.stringify(d).match(/(?<![0-9A-Za-z_-])1\d{10}(?![0-9A-Za-z_-])/);
          if (m) found.push(`${name}/${String(d._id)}: ${m[0]}`);
        }
        if (docs.length < 1000) break;
        last = docs[docs.length - 1]._id;
      }
    }
    return found;
  }

  it('npm run phones:encrypt seals phones stored in clear, once, and they still read', async () => {
    // What an older version stored: a volunteer's phone and an order's contact phone in clear.
    await volunteer('priv-old', '孙老', '13600001111');
    const id = await orders.post('demo-villager', { contact: { phone: '13600002222' } });
    cloud.engine.update('volunteers', {
      query: { _id: 'priv-old' },
      update: { $set: { phone: '13600001111' }, $unset: { phoneHash: '' } },
      multi: false,
      upsert: false,
      merge: true,
    });
    cloud.engine.update('orders', {
      query: { _id: id },
      update: { $set: { 'contact.phone': '13600002222' } },
      multi: false,
      upsert: false,
      merge: true,
    });
    expect(await clearPhones()).toEqual([`orders/${id}: 13600002222`, 'volunteers/priv-old: 13600001111']);

    const first = await runScript(cloud.url, 'phones-encrypt.ts');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /1 phone\(s\) sealed, 1 hash\(es\) written; orders: \d+ read, 1 contact phone\(s\) sealed/,
    );
    const again = await runScript(cloud.url, 'phones-encrypt.ts');
    expect(again.out).toMatch(
      /0 phone\(s\) sealed, 0 hash\(es\) written; orders: \d+ read, 0 contact phone\(s\) sealed/,
    );

    expect((await myData('priv-old')).about!.volunteer!.phone).toBe('13600001111');
    expect((await orders.get('demo-villager', id)).contact?.phone).toBe('13600002222');
    expect(raw<{ phoneHash?: string }>('volunteers', { _id: 'priv-old' })[0].phoneHash).toMatch(/^[0-9a-f]{64}$/);
    // A station head finds the volunteer by the number, matched by its keyed hash.
    const found = await ok(
      userCall<{ people: { openid: string }[] }>('demo-station-head', { action: 'listPeople', q: '13600001111' }),
    );
    expect(found.people.map((p) => p.openid)).toEqual(['priv-old']);
  }, 120_000); // two runs of a script (a tsx start each) on a shared machine

  it('no collection holds a phone number in clear', async () => {
    expect(await clearPhones()).toEqual([]);
  }, 60_000);
});
