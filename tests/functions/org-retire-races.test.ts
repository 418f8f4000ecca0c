/**
 * Retiring a node against what attaches to it at the same moment, settled by the database: an order
 * posted at a point or station while an admin retires it never ends as an active order on a retired
 * node; a child made under a node being retired never ends under a retired node. Each round starts the
 * two together, the retire a little later each round, so the rounds sweep across the order's steps.
 */
import type { OrgApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { ACTIVE_STATUSES } from '../../typings/order';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';
import { orgDoc, person } from '../helpers/people';

// Twenty rounds of two calls each, on a machine shared with other work.
jest.setTimeout(300_000);

let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  orders = orderClient(cloud);
  await orders.dailyLimit(50);
  person(cloud, 'race-head', [['stationHead', 'haian-01-001']], '李站长');
  person(cloud, 'race-inst', [['instituteAdmin', 'haian-01']], '钱所长');
});

afterAll(async () => {
  await cloud.close();
});

const ROUNDS = 20;
const org = <A extends keyof OrgApi>(event: { action: A } & OrgApi[A]['req'], openid: string) =>
  cloud.call<Result<OrgApi[A]['res']>>('org', event, openid);
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const later = <T>(ms: number, f: () => Promise<T>) => new Promise<T>((resolve) => setTimeout(() => resolve(f()), ms));
const activeAt = (field: 'pointId' | 'stationId', id: string) =>
  cloud.engine.count('orders', { [field]: id, status: { $in: [...ACTIVE_STATUSES] } });
const wish = (round: number, over: Record<string, unknown> = {}) => ({
  action: 'create' as const,
  kind: 'wish' as const,
  category: 'health' as const,
  title: `撤销赛跑的需求${round}`,
  content: '家里老人血压高，想请志愿者上门量一量。',
  requestId: `retire-race-${round}-${Math.random().toString(36).slice(2, 10)}`,
  acknowledgeSimilar: true,
  ...over,
});

/** Warm instances of both functions, so the two calls of a round really run at the same moment. */
async function warm(): Promise<void> {
  await Promise.all([
    ...Array.from({ length: 3 }, () => orders.call('demo-villager', { action: 'settings' })),
    ...Array.from({ length: 3 }, () => org({ action: 'get', id: 'haian-01' }, 'race-head')),
  ]);
}

describe('retiring a node while something attaches to it', () => {
  it('an order posted at a point while it is retired: never an active order on a retired point', async () => {
    await warm();
    const outcomes = new Set<string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const villager = person(cloud, `race-villager-p${round}`, [['villager', 'haian-01-001']], '赵大爷');
      const made = await org(
        {
          action: 'create',
          parentId: 'haian-01-001',
          name: `赛跑的点${round}`,
          location: { lat: 32.551, lng: 120.451 },
          kind: 'square',
        },
        'race-head',
      );
      if (!made.ok) throw new Error(JSON.stringify(made.error));
      const pointId = made.data.id;
      const [posted, retired] = await Promise.all([
        orders.call(villager, wish(round, { pointId })),
        later(round * 4, () =>
          org({ action: 'retire', parentId: 'haian-01-001', id: pointId, reason: '建错了' }, 'race-head'),
        ),
      ]);
      const isRetired = !!orgDoc(cloud, pointId).retired;
      expect([round, isRetired && activeAt('pointId', pointId) > 0]).toEqual([round, false]);
      // Exactly one of them happened, and the other was refused in plain words.
      expect([code(posted), code(retired)].sort()).toEqual(
        posted.ok ? ['FAILED_PRECONDITION', 'ok'] : ['NOT_FOUND', 'ok'],
      );
      expect(isRetired).toBe(retired.ok);
      outcomes.add(posted.ok ? 'posted' : 'retired');
    }
    console.log(`point rounds: ${[...outcomes].join(', ')}`);
  });

  it('an order posted at a station while it is retired: never an active order on a retired station', async () => {
    await warm();
    for (let round = 0; round < ROUNDS; round += 1) {
      const made = await org(
        { action: 'create', parentId: 'haian-01', name: `赛跑的站${round}`, location: { lat: 32.551, lng: 120.451 } },
        'race-inst',
      );
      if (!made.ok) throw new Error(JSON.stringify(made.error));
      const stationId = made.data.id;
      const villager = person(cloud, `race-villager-s${round}`, [['villager', stationId]], '钱大妈');
      const [posted, retired] = await Promise.all([
        orders.call(villager, wish(round)),
        later(round * 4, () =>
          org({ action: 'retire', parentId: 'haian-01', id: stationId, reason: '建错了' }, 'race-inst'),
        ),
      ]);
      const isRetired = !!orgDoc(cloud, stationId).retired;
      expect([round, isRetired && activeAt('stationId', stationId) > 0]).toEqual([round, false]);
      expect([code(posted), code(retired)].sort()).toEqual(['FAILED_PRECONDITION', 'ok']);
      expect(isRetired).toBe(retired.ok);
    }
  });

  it('a point made under a station while it is retired: never a live child under a retired station', async () => {
    await warm();
    for (let round = 0; round < ROUNDS; round += 1) {
      const made = await org(
        { action: 'create', parentId: 'haian-01', name: `赛跑的空站${round}`, location: { lat: 32.551, lng: 120.451 } },
        'race-inst',
      );
      if (!made.ok) throw new Error(JSON.stringify(made.error));
      const stationId = made.data.id;
      const [child, retired] = await Promise.all([
        org(
          {
            action: 'create',
            parentId: stationId,
            name: `赛跑的新点${round}`,
            location: { lat: 32.551, lng: 120.451 },
            kind: 'square',
          },
          'race-inst',
        ),
        later(round * 2, () =>
          org({ action: 'retire', parentId: 'haian-01', id: stationId, reason: '建错了' }, 'race-inst'),
        ),
      ]);
      const isRetired = !!orgDoc(cloud, stationId).retired;
      expect([round, isRetired && cloud.engine.count('orgs', { parentId: stationId }) > 0]).toEqual([round, false]);
      expect([code(child), code(retired)].sort()).toEqual(
        child.ok ? ['FAILED_PRECONDITION', 'ok'] : ['NOT_FOUND', 'ok'],
      );
      expect(isRetired).toBe(retired.ok);
    }
  });
});

describe('refusals around a retired node', () => {
  it('refuses an order at a retired point or from a villager of a retired station, and spends no post', async () => {
    const made = await org(
      { action: 'create', parentId: 'haian-01', name: '撤销后的站', location: { lat: 32.551, lng: 120.451 } },
      'race-inst',
    );
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const villager = person(cloud, 'race-villager-gone', [['villager', made.data.id]], '孙大爷');
    expect(
      code(await org({ action: 'retire', parentId: 'haian-01', id: made.data.id, reason: '建错了' }, 'race-inst')),
    ).toBe('ok');
    const spent = () =>
      cloud.engine
        .find('counters', { query: { _id: { $regex: `^orders:${villager}:` } } })
        .reduce((n, c) => n + (c.n as number), 0);
    const r = await orders.call(villager, wish(99));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/已撤销.*重新绑定/) },
    });
    expect(cloud.engine.count('orders', { stationId: made.data.id })).toBe(0);
    expect(spent()).toBe(0);

    const point = await org(
      {
        action: 'create',
        parentId: 'haian-01-001',
        name: '撤销后的点',
        location: { lat: 32.551, lng: 120.451 },
        kind: 'square',
      },
      'race-head',
    );
    if (!point.ok) throw new Error(JSON.stringify(point.error));
    await org({ action: 'retire', parentId: 'haian-01-001', id: point.data.id, reason: '建错了' }, 'race-head');
    expect(await orders.call('demo-villager', wish(98, { pointId: point.data.id }))).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: '没有找到这个实践点。' },
    });
    expect(cloud.engine.count('orders', { pointId: point.data.id })).toBe(0);
  });

  it('refuses retiring a point with an active order in plain words, and leaves it as it was', async () => {
    const made = await org(
      {
        action: 'create',
        parentId: 'haian-01-001',
        name: '有需求的赛跑点',
        location: { lat: 32.551, lng: 120.451 },
        kind: 'square',
      },
      'race-head',
    );
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const before = orgDoc(cloud, made.data.id);
    await orders.post('demo-villager', { pointId: made.data.id });
    const after = orgDoc(cloud, made.data.id);
    // The order raised the fence: the point was written in its transaction.
    expect(after.attached).toBe((before.attached ?? 0) + 1);
    const r = await org(
      { action: 'retire', parentId: 'haian-01-001', id: made.data.id, reason: '建错了' },
      'race-head',
    );
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: '这里还有没办完的需求，请先办完或转走。' },
    });
    expect(orgDoc(cloud, made.data.id) as OrgDoc).toEqual(after);
  });
});
