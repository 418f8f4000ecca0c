/**
 * The numbers on an admin's and a station head's home: order.counts answers, for the caller's scope or
 * a node in it, how many orders wait for review, wait for dispatch, are overdue and are red — counted
 * by the database, the same as the orders themselves say, and moving when an order moves.
 */
import type { OrderCounts } from '../../typings/api';
import { ACTIVE_STATUSES } from '../../typings/order';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';

let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  orders = orderClient(cloud);
});

afterAll(async () => {
  await cloud.close();
});

/** The same figures read straight from the stored orders. */
function stored(path: string): OrderCounts {
  const all = cloud.engine.find('orders', { query: { path }, limit: 100000 }) as {
    status: string;
    overdue: boolean;
    level: string;
  }[];
  const active = all.filter((o) => (ACTIVE_STATUSES as readonly string[]).includes(o.status));
  return {
    submitted: all.filter((o) => o.status === 'submitted').length,
    open: all.filter((o) => o.status === 'open').length,
    overdue: active.filter((o) => o.overdue).length,
    red: active.filter((o) => o.overdue && o.level === 'center').length,
  };
}

const counts = (openid: string, orgId?: string) =>
  orders.ok(orders.call(openid, { action: 'counts', ...(orgId ? { orgId } : {}) }));

test('a station head’s figures are their village’s, and move when a wish is posted and reviewed', async () => {
  const before = await counts('demo-station-head');
  expect(before).toEqual(stored('haian-01-001'));

  const { id } = await orders.ok(
    orders.call('demo-villager', {
      action: 'create',
      kind: 'wish',
      category: 'arts',
      title: '想学跳广场舞',
      content: '村里几个姐妹想学广场舞，想请会跳的志愿者教一教。',
      requestId: 'counts-0001',
      acknowledgeSimilar: true,
    }),
  );
  expect(await counts('demo-station-head')).toEqual({ ...before, submitted: before.submitted + 1 });

  await orders.ok(orders.call('demo-station-head', { action: 'review', id, approve: true }));
  expect(await counts('demo-station-head')).toEqual({ ...before, open: before.open + 1 });
});

test('the county center counts the whole county, red orders included; a node asked for narrows it', async () => {
  const county = await counts('demo-center-admin');
  expect(county).toEqual(stored('haian'));
  expect(county.overdue).toBeGreaterThan(0);
  expect(await counts('demo-center-admin', 'haian-01')).toEqual(stored('haian-01'));
});

test('a villager has no figures to see, and a station head none of another village', async () => {
  expect(await orders.call('demo-villager', { action: 'counts' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(await orders.call('demo-station-head', { action: 'counts', orgId: 'haian-02-001' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
});
