/**
 * Hours and ratings turned into points (issue 9), through the local cloud: a volunteer of a household
 * checks in and out of an activity; the hours become a record under the station's 志愿服务时长折算 rule,
 * on the public notice, posted to the household's ledger when the notice ends. A good rating of an
 * order they fulfilled does the same under 完成群众点单服务并获好评. Each source makes one record,
 * however often it is asked; a volunteer without a household gets nothing and nothing fails.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { volunteerAt } from '../helpers/people';
import { activityClient, at } from '../helpers/activities';
import { integralClient, newHousehold, STATION } from '../helpers/integral';
import { orderClient } from '../helpers/orders';
import { DEFAULT_ORDER_SETTINGS } from '../../typings/order';

let cloud: TestCloud;
let act: ReturnType<typeof activityClient>;
let c: ReturnType<typeof integralClient>;
const base = new Date('2026-07-01T00:00:00.000Z');
const VOLUNTEER = 'conv-volunteer';
const HOUSEHOLD = '30000001';
const LONER = 'conv-loner';

interface ClaimRow {
  _id: string;
  source: string;
  status: string;
  points: number;
  householdId: string;
  ruleId: string;
}
const claimsOf = (householdId: string, source: string) =>
  cloud.engine.find('integralClaims', { query: { householdId, source }, limit: 100 }) as unknown as ClaimRow[];

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  act = activityClient(cloud);
  c = integralClient(cloud);
  await cloud.setClock(base.toISOString());
  volunteerAt(cloud, VOLUNTEER, STATION, ['health'], '吴折算');
  newHousehold(cloud, HOUSEHOLD, STATION, [VOLUNTEER]);
  volunteerAt(cloud, LONER, STATION, ['health'], '郑无户');
});

afterAll(async () => {
  await cloud.close();
});

/** Checks `openid` into a new activity five minutes after it starts and out 110 minutes later. */
async function serve(openid: string, from: Date): Promise<void> {
  const id = await act.create(from, { title: '凤山村环境整治', capacity: 5 }, 60);
  await act.ok(act.call(openid, { action: 'signup', id }));
  await cloud.setClock(at(from, 65));
  await act.ok(act.scan(openid, await act.scene(id)));
  await cloud.setClock(at(from, 175));
  const out = await act.ok(act.scan(openid, await act.scene(id)));
  expect(out).toMatchObject({ result: 'out', minutes: 110 });
}

it('turns confirmed check-in hours into points on the notice, posted to the household when it ends', async () => {
  const before = await c.balance(VOLUNTEER);
  await serve(VOLUNTEER, base);
  const [claim] = claimsOf(HOUSEHOLD, 'hours');
  // 110 minutes: one whole hour, at the rule's one point an hour.
  expect(claim).toMatchObject({ status: 'notice', points: 1, ruleId: 'vol-hours', householdId: HOUSEHOLD });
  expect(claimsOf(HOUSEHOLD, 'hours')).toHaveLength(1);
  const board = await c.ok(c.call(VOLUNTEER, { action: 'notices' }));
  expect(board.claims.map((x) => x.id)).toContain(claim._id);

  // Not posted while the notice runs; posted by the timer once it has ended.
  expect(await c.balance(VOLUNTEER)).toBe(before);
  await cloud.setClock(new Date(base.getTime() + 30 * 86_400_000).toISOString());
  await c.ok(c.tick());
  expect(await c.balance(VOLUNTEER)).toBe(before + 1);
  const ledger = await c.ok(c.call(VOLUNTEER, { action: 'ledger' }));
  expect(ledger.entries[0]).toMatchObject({ points: 1, cause: 'hours' });
  const { sums, cached } = c.audit();
  expect(cached.get(HOUSEHOLD)).toBe(sums.get(HOUSEHOLD));
});

it('gives a volunteer without a household nothing, and the scan still succeeds', async () => {
  const claimsBefore = cloud.engine.count('integralClaims', {});
  await serve(LONER, new Date(base.getTime() + 40 * 86_400_000));
  expect(cloud.engine.count('integralClaims', {})).toBe(claimsBefore);
});

it('turns a good rating of a fulfilled order into points once, however often the rating is sent', async () => {
  await cloud.setClock(null);
  const orders = orderClient(cloud);
  await orders.ok(
    orders.call('demo-center-admin', {
      action: 'setSettings',
      settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50 },
    }),
  );
  const id = await orders.open({ title: '帮忙修水龙头' });
  await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: VOLUNTEER }));
  await orders.ok(orders.call(VOLUNTEER, { action: 'accept', id }));
  await orders.ok(orders.call(VOLUNTEER, { action: 'fulfil', id, note: '换了新的水龙头', minutes: 60 }));
  expect(claimsOf(HOUSEHOLD, 'order')).toEqual([]);
  await orders.ok(orders.call('demo-villager', { action: 'rate', id, stars: 5 }));
  await orders.ok(orders.call('demo-villager', { action: 'rate', id, stars: 5 }));
  expect(claimsOf(HOUSEHOLD, 'order')).toEqual([
    expect.objectContaining({ status: 'notice', points: 3, ruleId: 'vol-order', householdId: HOUSEHOLD }),
  ]);

  // A poor rating earns nothing.
  const other = await orders.open({ title: '帮忙搬东西' });
  await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id: other, volunteer: VOLUNTEER }));
  await orders.ok(orders.call(VOLUNTEER, { action: 'accept', id: other }));
  await orders.ok(orders.call(VOLUNTEER, { action: 'fulfil', id: other, note: '搬完了' }));
  await orders.ok(orders.call('demo-villager', { action: 'rate', id: other, stars: 2 }));
  expect(claimsOf(HOUSEHOLD, 'order')).toHaveLength(1);
});
