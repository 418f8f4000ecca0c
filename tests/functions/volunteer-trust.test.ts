/**
 * Phone harvesting, closed: a new volunteer waits for a station head's approval before taking anything;
 * a requester's contact is shown only to the volunteer holding the order and only while they hold it;
 * every reveal is recorded for the station head; declines and station changes are limited per day, and
 * a volunteer who keeps declining after seeing contacts is flagged.
 */
import type { Me, UserApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import type { TestCloud } from '../helpers/localcloud';
import { demoOrders, type orderClient } from '../helpers/orders';
import { person } from '../helpers/people';

const demo = demoOrders();
let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;
beforeAll(() => {
  cloud = demo.cloud();
  orders = demo.orders();
});

const CONTACT = { phone: '13912345678', address: '凤山村三组18号' };

const userCall = <R>(openid: string, event: Record<string, unknown>) => cloud.call<Result<R>>('user', event, openid);

const register = (openid: string, stationIds = ['haian-01-001']) =>
  userCall<Me>(openid, {
    action: 'registerVolunteer',
    name: '新来的',
    phone: '13900009999',
    skills: ['health', 'technology'],
    stationIds,
  });

type Review = UserApi['reviewVolunteer'];
const review = (by: string, req: Review['req']) => userCall<Review['res']>(by, { action: 'reviewVolunteer', ...req });

async function approved(openid: string): Promise<string> {
  const r = await register(openid);
  expect(r).toMatchObject({ ok: true, data: { volunteer: { status: 'pending' } } });
  expect(await review('demo-station-head', { openid, stationId: 'haian-01-001', approve: true })).toMatchObject({
    ok: true,
  });
  return openid;
}

describe('a new volunteer is approved by a station head before taking anything', () => {
  it('a pending volunteer sees no hall, claims nothing and cannot be dispatched to', async () => {
    expect(await register('trust-new')).toMatchObject({ ok: true, data: { volunteer: { status: 'pending' } } });
    const id = await orders.open({ contact: CONTACT });
    expect(await orders.call('trust-new', { action: 'hall' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
    expect(await orders.call('trust-new', { action: 'accept', id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await orders.call('demo-station-head', { action: 'dispatch', id, volunteer: 'trust-new' })).toMatchObject({
      ok: false,
    });
    expect(cloud.engine.find('orders', { query: { _id: id } })[0].status).toBe('open');
  });

  it('lists pending registrations to the head of a chosen station; only they (or above) approve or reject', async () => {
    await register('trust-wait');
    const pending = await userCall<UserApi['pendingVolunteers']['res']>('demo-station-head', {
      action: 'pendingVolunteers',
      stationId: 'haian-01-001',
    });
    expect(pending.ok && pending.data.volunteers.map((v) => v.openid)).toContain('trust-wait');

    // A head of another station may not, nor may one name a station the volunteer did not choose.
    person(cloud, 'trust-other-head', [['stationHead', 'haian-02-001']]);
    expect(
      await review('trust-other-head', { openid: 'trust-wait', stationId: 'haian-01-001', approve: true }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await review('trust-other-head', { openid: 'trust-wait', stationId: 'haian-02-001', approve: true }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(cloud.engine.find('volunteers', { query: { _id: 'trust-wait' } })[0].status).toBe('pending');

    const ok = await review('demo-station-head', { openid: 'trust-wait', stationId: 'haian-01-001', approve: true });
    expect(ok).toMatchObject({ ok: true, data: { status: 'active' } });
    // A retry answers the same; a rejection after the approval is refused.
    expect(
      await review('demo-station-head', { openid: 'trust-wait', stationId: 'haian-01-001', approve: true }),
    ).toMatchObject({ ok: true, data: { status: 'active' } });
    expect(
      await review('demo-station-head', { openid: 'trust-wait', stationId: 'haian-01-001', approve: false }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await orders.call('trust-wait', { action: 'hall' })).toMatchObject({ ok: true });

    await register('trust-rejected');
    expect(
      await review('demo-station-head', { openid: 'trust-rejected', stationId: 'haian-01-001', approve: false }),
    ).toMatchObject({ ok: true, data: { status: 'rejected' } });
    expect(await orders.call('trust-rejected', { action: 'hall' })).toMatchObject({ ok: false });
  });

  it('adding stations sends the registration back for approval, and station changes are limited per day', async () => {
    const v = await approved('trust-mover');
    const moved = await register(v, ['haian-01-001', 'haian-02-001']);
    expect(moved).toMatchObject({ ok: true, data: { volunteer: { status: 'pending' } } });
    expect(await register(v, ['haian-02-001'])).toMatchObject({ ok: true });
    expect(await register(v, ['haian-01-001'])).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(cloud.engine.find('volunteers', { query: { _id: v } })[0].stationIds).toEqual(['haian-02-001']);
  });
});

describe('contacts are shown only to the volunteer holding the order, and every reveal is recorded', () => {
  it('masks the contact before and after holding, shows it while holding, records the reveal for the head', async () => {
    const v = await approved('trust-holder');
    const id = await orders.open({ contact: CONTACT });
    const browsing = await orders.get(v, id);
    expect(browsing.contact).toEqual({ phone: '139****5678', address: '凤山村…' });
    expect(cloud.engine.count('reveals', {})).toBe(0);

    const held = await orders.ok(orders.call(v, { action: 'accept', id }));
    expect(held.contact).toEqual(CONTACT);
    const again = await orders.get(v, id);
    expect(again.contact).toEqual(CONTACT);

    await orders.ok(orders.call(v, { action: 'fulfil', id, note: '已经办好了' }));
    expect((await orders.get(v, id)).contact).toEqual({ phone: '139****5678', address: '凤山村…' });

    const log = await orders.ok(orders.call('demo-station-head', { action: 'reveals', stationId: 'haian-01-001' }));
    const mine = log.reveals.filter((r) => r.orderId === id);
    expect(mine).toEqual([
      expect.objectContaining({ orderId: id, volunteer: { openid: v, name: '新来的' }, requesterName: '赵桂英' }),
    ]);
    expect(mine[0].times).toBeGreaterThanOrEqual(2);
    expect(Date.parse(mine[0].firstAt)).not.toBeNaN();
    // Only heads in scope see the log.
    person(cloud, 'trust-far-head', [['stationHead', 'haian-02-001']]);
    expect(await orders.call('trust-far-head', { action: 'reveals', stationId: 'haian-01-001' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('limits declines per day and flags a volunteer who declines after seeing contacts again and again', async () => {
    const v = await approved('trust-harvester');
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push(await orders.open({ contact: CONTACT, title: `收集测试${i}` }));
    for (const id of ids.slice(0, 3)) {
      expect((await orders.ok(orders.call(v, { action: 'accept', id }))).contact).toEqual(CONTACT);
      await orders.ok(orders.call(v, { action: 'decline', id, reason: '临时有事去不了' }));
      // Dropped, it is theirs no more: the contact is masked (or the order hidden) again.
      const after = await orders.call(v, { action: 'get', id });
      expect(after.ok ? after.data.contact : null).not.toEqual(CONTACT);
    }
    await orders.ok(orders.call(v, { action: 'accept', id: ids[3] }));
    expect(await orders.call(v, { action: 'decline', id: ids[3], reason: '临时有事去不了' })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    const log = await orders.ok(orders.call('demo-station-head', { action: 'reveals', stationId: 'haian-01-001' }));
    expect(log.flagged).toEqual([expect.objectContaining({ openid: v, declinesAfterReveal: 3 })]);
    expect(cloud.engine.find('volunteers', { query: { _id: v } })[0].flagged).toBe(true);
  });
});

describe('local phone codes', () => {
  it('refuses a forged code, and takes one the local cloud issued', async () => {
    const forged = await userCall<Me>('trust-forger', {
      action: 'registerVolunteer',
      name: '冒充者',
      phoneCode: 'local-phone:13900000001:deadbeef',
      skills: ['health'],
      stationIds: ['haian-01-001'],
    });
    expect(forged).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(cloud.engine.count('volunteers', { _id: 'trust-forger' })).toBe(0);

    const issued = (await (
      await fetch(`${cloud.url}/_admin/phone-code`, { method: 'POST', body: JSON.stringify({ phone: '13900000001' }) })
    ).json()) as { code: string };
    const real = await userCall<Me>('trust-forger', {
      action: 'registerVolunteer',
      name: '冒充者',
      phoneCode: issued.code,
      skills: ['health'],
      stationIds: ['haian-01-001'],
    });
    expect(real).toMatchObject({ ok: true, data: { volunteer: { phone: '13900000001' } } });
  });
});
