/**
 * Races settled by the database: twenty volunteers pressing 接单 on one order at the same moment,
 * cancel against accept, a retried create — exactly one outcome each, the rest CONFLICT or the same.
 */
import type { Result } from '../../typings/errors';
import { CATEGORIES } from '../../typings/domain';
import { DEFAULT_ORDER_SETTINGS } from '../../typings/order';
import { pathOf } from '../../cloudfunctions/shared/org/model';
import { skillStationsOf } from '../../cloudfunctions/shared/user/model';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';
import { orgDoc, person } from '../helpers/people';

let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;
const volunteers = Array.from({ length: 20 }, (_v, i) => `racer-vol-${i}`);

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  orders = orderClient(cloud);
  await orders.ok(
    orders.call('demo-center-admin', {
      action: 'setSettings',
      settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50 },
    }),
  );
  const path = pathOf(orgDoc(cloud, 'haian-01-001'));
  for (const openid of volunteers) {
    person(cloud, openid, [['volunteer', 'haian-01-001']], '抢单者');
    cloud.engine.insert('volunteers', [
      {
        _id: openid,
        openid,
        name: '抢单者',
        phone: '13000000001',
        skills: [...CATEGORIES],
        stationIds: ['haian-01-001'],
        areas: path,
        skillStations: skillStationsOf(CATEGORIES, ['haian-01-001']),
        availability: { weekdays: [], slots: [] },
        status: 'active',
        load: 0,
        ratingSum: 0,
        ratingCount: 0,
        registeredAt: new Date(),
        updatedAt: new Date(),
      },
    ]);
  }
});

afterAll(async () => {
  await cloud.close();
});

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

  it('a retried transition answers the order as it is, without doing it twice', async () => {
    const id = await orders.open();
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: volunteers[10] }));
    const first = await orders.ok(orders.call(volunteers[10], { action: 'accept', id }));
    const loadAfterFirst = cloud.engine.find('volunteers', { query: { _id: volunteers[10] } })[0].load;
    const again = await orders.ok(orders.call(volunteers[10], { action: 'accept', id }));
    expect(again.events).toEqual(first.events);
    expect(cloud.engine.find('volunteers', { query: { _id: volunteers[10] } })[0].load).toBe(loadAfterFirst);
  });
});
