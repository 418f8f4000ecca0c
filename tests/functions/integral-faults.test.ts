/**
 * A failure injected between the steps of each write: the store's own code runs here against the
 * local cloud (the same wx-server-sdk and database the functions use), a hook throws after one step,
 * and the integral collections must be exactly as before — then the same write, run again without
 * the fault, lands once.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { HOUSEHOLD, integralClient, VILLAGER } from '../helpers/integral';
import * as store from '../../cloudfunctions/shared/integral/store';
import * as shop from '../../cloudfunctions/shared/integral/store-shop';
import { INTEGRAL_DEFAULTS } from '../../typings/integral';
import { decideConversion } from '../../cloudfunctions/shared/integral/domain/convert';
import { templateRule } from '../../cloudfunctions/shared/integral/domain/template';
import type { ClaimDoc } from '../../cloudfunctions/shared/integral/domain/model';
import { auditBalances, decideReview } from '../../cloudfunctions/shared/integral/domain/decide';

// The timer runs below also work through the demo county's orders: slow on a busy machine.
jest.setTimeout(120_000);

let cloud: TestCloud;
let c: ReturnType<typeof integralClient>;
const DAY = 86_400_000;
const COLLECTIONS = [
  'integralClaims',
  'integralLedger',
  'integralBalances',
  'integralTallies',
  'integralCaps',
  'integralItems',
  'integralRedemptions',
];

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  c = integralClient(cloud);
  // This process becomes a function instance of the test cloud, as the worker makes one.
  Object.assign(process.env, {
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    TCB_ENV: cloud.env,
    SCF_NAMESPACE: cloud.env,
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${cloud.url}/admin` }),
    SILENCE: 'true',
  });
});

afterAll(async () => {
  store.onStep(null);
  await cloud.close();
});

const snapshot = () =>
  JSON.stringify(COLLECTIONS.map((name) => cloud.engine.find(name, { query: {}, sort: [['_id', 1]] } as never)));

/** Runs `write` once failing after each of `steps` (nothing may change), then once for real. */
async function faultAt<T>(steps: string[], write: () => Promise<T>): Promise<T> {
  for (const at of steps) {
    const before = snapshot();
    store.onStep((s) => {
      if (s === at) throw new Error(`injected fault after ${at}`);
    });
    await expect(write()).rejects.toThrow(`injected fault after ${at}`);
    store.onStep(null);
    expect(snapshot()).toBe(before);
  }
  const reached = new Set<string>();
  store.onStep((s) => reached.add(s));
  const result = await write();
  store.onStep(null);
  expect([...reached]).toEqual(expect.arrayContaining(steps));
  return result;
}

const now = () => new Date(cloud.clock.now());

it('a record posted to the ledger: entry, balance, tallies and status together', async () => {
  const { id } = await c.ok(c.award(HOUSEHOLD, 'env-cleanup'));
  await cloud.setClock(new Date(cloud.clock.now() + 4 * DAY).toISOString());
  const before = await c.balance(VILLAGER);
  expect(
    await faultAt(['ledger:balance', 'ledger:entry', 'ledger:tally', 'post:entry'], () => store.postClaim(id, now())),
  ).toBe(true);
  expect(await c.balance(VILLAGER)).toBe(before + 2);
  expect(await store.postClaim(id, now())).toBe(false);
});

it('an approval with its cap slot, and a new award with its slot', async () => {
  const { id } = await c.ok(
    c.call(VILLAGER, { action: 'claim', ruleId: 'customs-reading', note: '参加道德讲堂', requestId: c.requestId() }),
  );
  const head = {
    openid: 'demo-station-head',
    name: '李站长',
    roles: [{ role: 'stationHead' as const, orgId: 'haian-01-001', path: ['haian', 'haian-01', 'haian-01-001'] }],
    stationId: 'haian-01-001',
    householdId: null,
  };
  const approved = await faultAt(['claim:change'], () =>
    store.changeClaim(id, (cl) =>
      decideReview(cl, { approve: true }, head, { settings: INTEGRAL_DEFAULTS, now: now(), recentApprovals: 0 }),
    ),
  );
  expect(approved.status).toBe('notice');
  const award = await store.findClaim(id);
  const doc = { ...award!, _id: 'fault-award-1', requestKey: 'fault:1', status: 'notice' as const };
  expect((await faultAt(['claim:cap'], () => store.insertClaim(doc)))._id).toBe('fault-award-1');
});

it('a redemption: stock, entry, balance and reservation together', async () => {
  const itemId = await c.item(2, 3, '牙膏');
  const household = (await store.householdRef(HOUSEHOLD))!;
  const before = await c.balance(VILLAGER);
  const red = await faultAt(['redeem:stock', 'ledger:balance', 'ledger:entry', 'redeem:entry'], () =>
    shop.redeem({ id: 'fault-redeem-1', requestKey: 'fault:r1', itemId, household }, INTEGRAL_DEFAULTS, now()),
  );
  expect(red.status).toBe('reserved');
  expect(await c.balance(VILLAGER)).toBe(before - 2);
  expect(cloud.engine.find('integralItems', { query: { _id: itemId } })[0].stock).toBe(2);
});

it('an expiry: status, stock back and refund together', async () => {
  await cloud.setClock(new Date(cloud.clock.now() + 8 * DAY).toISOString());
  const before = await c.balance(VILLAGER);
  expect(
    await faultAt(['expire:status', 'expire:stock', 'ledger:balance', 'ledger:entry'], () =>
      shop.expireRedemption('fault-redeem-1', now()),
    ),
  ).toBe(true);
  expect(await c.balance(VILLAGER)).toBe(before + 2);
});

it('hours turned into points: a conversion goes on notice, and the timer posts it as an hours entry', async () => {
  // What is already on notice is posted first, so only the conversion moves the balance below.
  await cloud.setClock(new Date(cloud.clock.now() + 4 * DAY).toISOString());
  await c.ok(c.tick());
  const household = (await store.householdRef(HOUSEHOLD))!;
  const rule = templateRule('vol-hours')!;
  const conversion = {
    id: 'hours-session-1',
    source: 'hours' as const,
    amount: 4.5,
    sourceKey: 'session-1',
    rule,
    household,
    note: '敬老院志愿服务4.5小时',
    now: now(),
  };
  const doc = decideConversion(conversion, INTEGRAL_DEFAULTS) as ClaimDoc;
  await faultAt(['claim:cap'], () => store.insertClaim(doc));
  await store.insertClaim(doc);
  const before = await c.balance(VILLAGER);
  const board = await c.ok(c.call(VILLAGER, { action: 'notices' }));
  expect(board.claims.find((x) => x.id === doc._id)).toMatchObject({ source: 'hours', points: 4, status: 'notice' });
  await cloud.setClock(new Date(cloud.clock.now() + 4 * DAY).toISOString());
  await c.ok(c.tick());
  expect(await c.balance(VILLAGER)).toBe(before + 4);
  const { entries } = await c.ok(c.call(VILLAGER, { action: 'ledger' }));
  expect(entries.find((e) => e.refId === doc._id)).toMatchObject({ cause: 'hours', points: 4 });
});

it('leaves every cached balance equal to the sum of its entries', () => {
  const { sums, cached } = c.audit();
  expect(auditBalances(sums, cached)).toEqual([]);
});
