/**
 * Hours from orders (issue 8), through the local cloud: a volunteer who fulfils an order states the
 * time spent (capped by the center's setting); it counts as recorded service hours once the requester
 * rates it, or the timer closes it unrated — one record, written with the order's closing; reopening
 * takes it back by a correction. Without a stated time nothing is counted.
 */
import type { Result } from '../../typings/errors';
import type { ActivityApi } from '../../typings/activity';
import type { TimerSummary } from '../../cloudfunctions/shared/order/timer';
import { DEFAULT_ORDER_SETTINGS } from '../../typings/order';
import { volunteerAt } from '../helpers/people';
import { demoOrders } from '../helpers/orders';

const { cloud: getCloud, orders: getOrders } = demoOrders();
const HEAD = 'demo-station-head';
const VILLAGER = 'demo-villager';

interface HoursRow {
  openid: string;
  source: string;
  kind: string;
  minutes: number;
  title: string;
  requestKey: string;
  correctsId: string | null;
}
const hoursOf = (openid: string) =>
  getCloud().engine.find('hours', { query: { openid }, limit: 100 }) as unknown as HoursRow[];

async function myHours(openid: string) {
  const r = await getCloud().call<Result<ActivityApi['hours']['res']>>('activity', { action: 'hours' }, openid);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data;
}

/** An order dispatched to and accepted by `volunteer`, fulfilled with `minutes` stated. */
async function fulfilled(volunteer: string, minutes?: number, title?: string): Promise<string> {
  const orders = getOrders();
  const id = await orders.open(title ? { title } : {});
  await orders.ok(orders.call(HEAD, { action: 'dispatch', id, volunteer }));
  await orders.ok(orders.call(volunteer, { action: 'accept', id }));
  const done = await orders.ok(
    orders.call(volunteer, { action: 'fulfil', id, note: '上门量了血压', ...(minutes ? { minutes } : {}) }),
  );
  expect(done.fulfilment?.minutes ?? null).toBe(minutes ?? null);
  return id;
}

it('counts the stated time as recorded hours once the requester rates, exactly once', async () => {
  const v = volunteerAt(getCloud(), 'hours-order-v1', 'haian-01-001', ['health'], '赵服务');
  const orders = getOrders();
  const id = await fulfilled(v, 90, '帮老人量血压');
  // Fulfilled but not yet rated: nothing counted.
  expect(hoursOf(v)).toEqual([]);
  await orders.ok(orders.call(VILLAGER, { action: 'rate', id, stars: 5 }));
  expect(hoursOf(v)).toEqual([
    expect.objectContaining({ source: 'order', kind: 'recorded', minutes: 90, title: '微心愿：帮老人量血压' }),
  ]);
  // The same rating again (a retry) answers the order as it is and counts nothing more.
  await orders.ok(orders.call(VILLAGER, { action: 'rate', id, stars: 5 }));
  expect(hoursOf(v)).toHaveLength(1);
  const mine = await myHours(v);
  expect(mine).toMatchObject({ recordedMinutes: 90, honourMinutes: 0 });
  expect(mine.records).toEqual([expect.objectContaining({ source: 'order', minutes: 90 })]);
});

it('refuses a time above the cap and changes nothing; the cap is a setting', async () => {
  const v = volunteerAt(getCloud(), 'hours-order-v2', 'haian-01-001', ['health'], '钱服务');
  const orders = getOrders();
  const id = await orders.open();
  await orders.ok(orders.call(HEAD, { action: 'dispatch', id, volunteer: v }));
  await orders.ok(orders.call(v, { action: 'accept', id }));
  const cap = DEFAULT_ORDER_SETTINGS.maxServiceMinutes;
  const over = await orders.call(v, { action: 'fulfil', id, note: '办好了', minutes: cap + 1 });
  expect(over).toEqual({
    ok: false,
    error: {
      code: 'INVALID_ARGUMENT',
      message: `服务时长最多填 8 小时（${cap} 分钟）。`,
      details: [expect.any(String)],
    },
  });
  expect((await orders.get(v, id)).status).toBe('accepted');

  // The center lowers the cap: 120 minutes is now too many, 60 is fine.
  const settings = await orders.ok(
    orders.call('demo-center-admin', {
      action: 'setSettings',
      settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50, maxServiceMinutes: 60 },
    }),
  );
  expect(settings.maxServiceMinutes).toBe(60);
  try {
    expect(await orders.call(v, { action: 'fulfil', id, note: '办好了', minutes: 120 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    const ok = await orders.ok(orders.call(v, { action: 'fulfil', id, note: '办好了', minutes: 60 }));
    expect(ok.fulfilment?.minutes).toBe(60);
  } finally {
    await orders.ok(
      orders.call('demo-center-admin', {
        action: 'setSettings',
        settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50 },
      }),
    );
  }
  // A settings page that does not send the cap keeps the one in force.
  expect((await orders.ok(orders.call('demo-center-admin', { action: 'settings' }))).maxServiceMinutes).toBe(cap);
});

it('counts nothing when no time was stated', async () => {
  const v = volunteerAt(getCloud(), 'hours-order-v3', 'haian-01-001', ['health'], '孙服务');
  const orders = getOrders();
  const id = await fulfilled(v);
  await orders.ok(orders.call(VILLAGER, { action: 'rate', id, stars: 4 }));
  expect(hoursOf(v)).toEqual([]);
});

it('takes the hours back by a correction when the requester reopens the order', async () => {
  const v = volunteerAt(getCloud(), 'hours-order-v4', 'haian-01-001', ['health'], '李服务');
  const orders = getOrders();
  const id = await fulfilled(v, 45);
  await orders.ok(orders.call(VILLAGER, { action: 'rate', id, stars: 2 }));
  await orders.ok(orders.call(VILLAGER, { action: 'reopen', id, reason: '血压计是坏的' }));
  const rows = hoursOf(v);
  expect(rows).toHaveLength(2);
  const counted = rows.find((r) => r.source === 'order');
  expect(rows.find((r) => r.source === 'correction')).toMatchObject({ minutes: -45, correctsId: expect.any(String) });
  expect(counted).toBeDefined();
  expect((await myHours(v)).recordedMinutes).toBe(0);
});

it('counts the hours when the timer closes an order nobody rated', async () => {
  const cloud = getCloud();
  const v = volunteerAt(cloud, 'hours-order-v5', 'haian-01-001', ['health'], '周服务');
  const id = await fulfilled(v, 120);
  const order = cloud.engine.find('orders', { query: { _id: id } })[0] as { rateBy: Date };
  await cloud.setClock(new Date(new Date(order.rateBy).getTime() + 10 * 60_000).toISOString());
  try {
    // The demo county has other orders due at that moment too: a run has a budget of database
    // operations (oldest first, the rest left for the next), so the timer runs until none says there is more.
    const runs: Result<TimerSummary>[] = [];
    do runs.push(await cloud.call<Result<TimerSummary>>('cron', { Type: 'Timer', TriggerName: 'every5min' }));
    while (runs.length < 20 && runs.at(-1)?.ok && (runs.at(-1) as { data: TimerSummary }).data.more);
    expect(runs.every((r) => r.ok)).toBe(true);
    expect((runs.at(-1) as { data: TimerSummary }).data.more).toBe(false);
    expect((await getOrders().get(VILLAGER, id)).status).toBe('closed');
    expect(hoursOf(v)).toEqual([expect.objectContaining({ source: 'order', minutes: 120 })]);
    // Run again: the order is closed, nothing more is counted.
    await cloud.call('cron', { Type: 'Timer', TriggerName: 'every5min' });
    expect(hoursOf(v)).toHaveLength(1);
  } finally {
    await cloud.setClock(null);
  }
});
