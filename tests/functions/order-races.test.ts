/**
 * Races settled by the database: twenty volunteers pressing 接单 on one order at the same moment,
 * cancel against accept, a retried create — exactly one outcome each, the rest CONFLICT or the same.
 */
import type { Result } from '../../typings/errors';
import { CATEGORIES } from '../../typings/domain';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';
import { volunteerAt } from '../helpers/people';

let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;
const volunteers = Array.from({ length: 20 }, (_v, i) => `racer-vol-${i}`);

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  orders = orderClient(cloud);
  await orders.dailyLimit(50);
  for (const openid of volunteers) volunteerAt(cloud, openid, 'haian-01-001', CATEGORIES, '抢单者');
});

afterAll(async () => {
  await cloud.close();
});

/** A new volunteer of the demo station with every skill and nothing on hand yet. */
const volunteerOf = (openid: string) => volunteerAt(cloud, openid, 'haian-01-001', CATEGORIES, '新志愿者');

const codes = (rs: Result<unknown>[]) => rs.map((r) => (r.ok ? 'ok' : r.error.code));

describe('races', () => {
  it('twenty volunteers accept one open order at once: exactly one wins, the rest get CONFLICT', async () => {
    const id = await orders.open();
    const results = await Promise.all(volunteers.map((v) => orders.call(v, { action: 'accept', id })));
    expect(codes(results).filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes(results).filter((c) => c === 'CONFLICT')).toHaveLength(19);
    const o = await orders.get('demo-villager', id);
    const winner = volunteers[codes(results).indexOf('ok')];
    expect(o.assignee?.openid).toBe(winner);
    expect(o.events.filter((e) => e.type === 'claimed')).toHaveLength(1);
    const loads = cloud.engine.find('volunteers', { query: { _id: { $in: volunteers } } }).map((v) => v.load as number);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('cancel against accept: one of them happens, never both', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = await orders.open();
      const loadOf = () => cloud.engine.find('volunteers', { query: { _id: volunteers[round] } })[0].load as number;
      const before = loadOf();
      await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: volunteers[round] }));
      const [cancel, accept] = await Promise.all([
        orders.call('demo-villager', { action: 'cancel', id }),
        orders.call(volunteers[round], { action: 'accept', id }),
      ]);
      expect(codes([cancel, accept]).sort()).toEqual(['CONFLICT', 'ok']);
      const o = await orders.get('demo-villager', id);
      expect(o.status).toBe(cancel.ok ? 'cancelled' : 'accepted');
      expect(loadOf() - before).toBe(cancel.ok ? 0 : 1);
    }
  });

  it('a create retried with the same request id, even at the same moment, makes one order', async () => {
    const req = {
      action: 'create' as const,
      kind: 'wish' as const,
      category: 'education' as const,
      title: '孙子的书包坏了',
      content: '孙子上二年级，书包背带断了，想要一个新书包。',
      requestId: 'retried-create-0001',
      acknowledgeSimilar: true,
    };
    const results = await Promise.all(Array.from({ length: 6 }, () => orders.call('demo-villager', req)));
    const ids = new Set(results.map((r) => (r.ok ? r.data.id : r.error.code)));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{32}$/);
    const again = await orders.ok(orders.call('demo-villager', req));
    expect(again.id).toBe([...ids][0]);
    expect(cloud.engine.count('orders', { requestKey: 'demo-villager:retried-create-0001' })).toBe(1);
  });

  it('ten retries of one create at the same moment answer the one order and spend one post of the day', async () => {
    const spent = () =>
      cloud.engine
        .find('counters', { query: { _id: { $regex: '^orders:demo-villager:' } } })
        .reduce((n, c) => n + (c.n as number), 0);
    const before = spent();
    // Room for one more post today: a retry that spent it too, even for a moment, would run out of it.
    await orders.dailyLimit(before + 1);
    try {
      const req = {
        action: 'create' as const,
        kind: 'wish' as const,
        category: 'education' as const,
        title: '想借几本连环画',
        content: '家里孩子放假在家，想借几本连环画看看。',
        requestId: 'retried-create-0010',
        acknowledgeSimilar: true,
      };
      // Ten warm instances first, so that the ten retries really run at the same moment.
      await Promise.all(Array.from({ length: 10 }, () => orders.call('demo-villager', { action: 'settings' })));
      const results = await Promise.all(Array.from({ length: 10 }, () => orders.call('demo-villager', req)));
      expect(codes(results)).toEqual(Array(10).fill('ok'));
      expect(new Set(results.map((r) => (r.ok ? r.data.id : null))).size).toBe(1);
      expect(cloud.engine.count('orders', { requestKey: 'demo-villager:retried-create-0010' })).toBe(1);
      expect(spent()).toBe(before + 1);
    } finally {
      await orders.dailyLimit(50);
    }
  });

  it('a retried transition answers the order as it is, without doing it twice', async () => {
    const id = await orders.open();
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: volunteers[10] }));
    const first = await orders.ok(orders.call(volunteers[10], { action: 'accept', id }));
    const loadAfterFirst = cloud.engine.find('volunteers', { query: { _id: volunteers[10] } })[0].load;
    const again = await orders.ok(orders.call(volunteers[10], { action: 'accept', id }));
    expect(again.events).toEqual(first.events);
    expect(cloud.engine.find('volunteers', { query: { _id: volunteers[10] } })[0].load).toBe(loadAfterFirst);
  });

  it('answers a different request after a transition as a conflict, not as done', async () => {
    const id = await orders.post('demo-villager');
    await orders.ok(orders.call('demo-station-head', { action: 'review', id, approve: true }));
    const reject = await orders.call('demo-station-head', {
      action: 'review',
      id,
      approve: false,
      reason: '改主意了，不通过',
    });
    expect(reject).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await orders.get('demo-villager', id)).status).toBe('open');
  });

  it('caps what one volunteer may claim from the hall, settled with the claim itself', async () => {
    const claimer = volunteerOf('cap-claimer');
    const loadOf = () => cloud.engine.find('volunteers', { query: { _id: claimer } })[0].load as number;
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push(await orders.open({ title: `抢单上限测试${i}` }));
    // All at once: however the claims interleave, the count and the orders agree and never pass 5.
    const results = await Promise.all(ids.map((id) => orders.call(claimer, { action: 'accept', id })));
    const won = results.filter((r) => r.ok).length;
    expect(loadOf()).toBe(won);
    expect(won).toBeLessThanOrEqual(5);
    // One at a time until the cap: the sixth is refused in plain words.
    for (const id of ids) if (loadOf() < 5) await orders.call(claimer, { action: 'accept', id });
    expect(loadOf()).toBe(5);
    expect(cloud.engine.count('orders', { 'assignee.openid': claimer, status: 'accepted' })).toBe(5);
    const extra = await orders.open({ title: '抢单上限测试多一个' });
    expect(await orders.call(claimer, { action: 'accept', id: extra })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/5个任务/) },
    });
  });

  it('never loses a volunteer’s counters to a re-registration racing their work', async () => {
    const v = volunteerOf('rereg-vol');
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await orders.open({ title: `计数器测试${i}` }));
    await Promise.all([
      ...ids.map((id) => orders.call('demo-station-head', { action: 'dispatch', id, volunteer: v })),
      ...Array.from({ length: 6 }, (_x, i) =>
        cloud.call(
          'user',
          {
            action: 'registerVolunteer',
            name: '重新登记',
            phone: '13900000020',
            skills: [...CATEGORIES],
            stationIds: ['haian-01-001'],
            availability: { weekdays: [i + 1], slots: [] },
          },
          v,
        ),
      ),
    ]);
    // A dispatch that lost every retry to the registrations answered CONFLICT and changed nothing;
    // whatever went through, the load is exactly the orders they hold.
    const held = cloud.engine.count('orders', { 'assignee.openid': v, status: 'dispatched' });
    expect(held).toBeGreaterThan(0);
    expect(cloud.engine.find('volunteers', { query: { _id: v } })[0].load).toBe(held);
    expect(cloud.engine.find('volunteers', { query: { _id: v } })[0].availability).toEqual(
      expect.objectContaining({ slots: [] }),
    );
  });
});
