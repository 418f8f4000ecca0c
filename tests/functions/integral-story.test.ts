/**
 * Moral integral as 凤山村 lives it, through the local cloud: a claim approved, on the notice board,
 * posted when the clock moves past the notice, spent at the supermarket and picked up once; an
 * objection upheld in the open; a direct award and a deduction; a mistake reversed; the roll of honour;
 * and the demo village as the contract promises it.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { auditBalances } from '../../cloudfunctions/shared/integral/domain/decide';
import {
  HEAD,
  HOUSEHOLD,
  integralClient,
  NEIGHBOUR,
  NEIGHBOUR_HOUSEHOLD,
  STATION,
  VILLAGER,
} from '../helpers/integral';

// The timer runs below also work through the demo county's orders: slow on a busy machine.
jest.setTimeout(120_000);

let cloud: TestCloud;
let c: ReturnType<typeof integralClient>;
const DAY = 86_400_000;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  c = integralClient(cloud);
});

afterAll(async () => {
  await cloud.close();
});

/** Moves the local cloud's clock forward by `days` from where it is. */
async function later(days: number) {
  await cloud.setClock(new Date(cloud.clock.now() + days * DAY).toISOString());
}

describe('the demo village', () => {
  it('has rules, items in stock, and a balance for 户号 10000001 made of its ledger entries', async () => {
    const { rules } = await c.ok(c.call(VILLAGER, { action: 'rules' }));
    expect(rules.length).toBeGreaterThanOrEqual(30);
    expect(rules.every((r) => typeof r.id === 'string' && typeof r.points === 'number')).toBe(true);
    const { items } = await c.ok(c.call(VILLAGER, { action: 'items' }));
    expect(items.filter((i) => i.stock > 0).length).toBeGreaterThanOrEqual(3);
    const balance = await c.balance(VILLAGER);
    expect(balance).toBeGreaterThan(0);
    const { entries } = await c.ok(c.call(VILLAGER, { action: 'ledger' }));
    expect(entries.reduce((s, e) => s + e.points, 0)).toBe(balance);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    expect(await c.balance(HEAD, HOUSEHOLD)).toBe(balance);
  });

  it('takes a claim under the first rule of the catalogue with nothing but a note, as the contract says', async () => {
    const { rules } = await c.ok(c.call(VILLAGER, { action: 'rules' }));
    const r = await c.ok(
      c.call(VILLAGER, { action: 'claim', ruleId: rules[0].id, note: '做了好事', requestId: c.requestId() }),
    );
    expect(typeof r.id).toBe('string');
    const award = await c.ok(
      c.call(HEAD, {
        action: 'award',
        householdId: HOUSEHOLD,
        ruleId: rules[0].id,
        note: '表现好',
        requestId: c.requestId(),
      }),
    );
    expect(typeof award.id).toBe('string');
  });
});

describe('claim → approve → notice → posted → redeem → pickup', () => {
  it('walks the whole way, and every step is where the village can see it', async () => {
    // What the demo seed left on the board is posted first, so only this claim moves the balance.
    await later(4);
    await c.ok(c.tick());
    const before = await c.balance(VILLAGER);
    const { id, status } = await c.ok(
      c.call(VILLAGER, {
        action: 'claim',
        ruleId: 'filial-visit',
        note: '周末陪老母亲去镇上看病',
        requestId: c.requestId(),
      }),
    );
    expect(status).toBe('pending');
    const queue = await c.ok(c.call(HEAD, { action: 'claims', scope: 'queue' }));
    expect(queue.claims.map((x) => x.id)).toContain(id);

    const approved = await c.ok(c.call(HEAD, { action: 'review', id, approve: true }));
    expect(approved.status).toBe('notice');
    const board = await c.ok(c.call(NEIGHBOUR, { action: 'notices' }));
    expect(board.claims.find((x) => x.id === id)).toMatchObject({ status: 'notice', points: 2 });

    // The timer leaves it while the notice runs, and posts it once it has ended.
    expect((await c.ok(c.tick())).integral.posted).toBe(0);
    expect(await c.balance(VILLAGER)).toBe(before);
    await later(4);
    expect((await c.ok(c.tick())).integral.posted).toBeGreaterThanOrEqual(1);
    expect(await c.balance(VILLAGER)).toBe(before + 2);
    const { entries } = await c.ok(c.call(VILLAGER, { action: 'ledger' }));
    expect(entries[0]).toMatchObject({
      cause: 'claim',
      points: 2,
      refId: id,
      approvedBy: HEAD,
      balanceAfter: before + 2,
    });
    // A second run posts nothing twice.
    await c.ok(c.tick());
    expect(await c.balance(VILLAGER)).toBe(before + 2);

    const itemId = await c.item(5, 2, '香皂');
    const red = await c.ok(c.call(VILLAGER, { action: 'redeem', itemId, requestId: c.requestId() }));
    expect(red).toMatchObject({ status: 'reserved', points: 5 });
    expect(red.pickupCode).toMatch(/^\d{8}$/);
    expect(await c.balance(VILLAGER)).toBe(before + 2 - 5);
    const mine = await c.ok(c.call(VILLAGER, { action: 'redemptions', scope: 'mine' }));
    expect(mine.redemptions[0].pickupCode).toBe(red.pickupCode);
    const shelf = await c.ok(c.call(VILLAGER, { action: 'items' }));
    expect(shelf.items.find((i) => i.id === itemId)?.stock).toBe(1);

    const picked = await c.ok(c.call(HEAD, { action: 'verifyPickup', code: red.pickupCode }));
    expect(picked.status).toBe('picked');
    expect(await c.code(c.call(HEAD, { action: 'verifyPickup', code: red.pickupCode }))).toBe('CONFLICT');
    expect(await c.balance(VILLAGER)).toBe(before + 2 - 5);
  });
});

describe('the notice board', () => {
  it('an objection holds the record; upheld, it is cancelled in the open with the reason and never posted', async () => {
    const before = await c.balance(NEIGHBOUR);
    const { id } = await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'env-cleanup'));
    expect(await c.ok(c.call(VILLAGER, { action: 'object', id, reason: '那天他家没人参加清扫' }))).toMatchObject({
      status: 'notice',
    });
    await later(4);
    await c.ok(c.tick());
    expect(await c.balance(NEIGHBOUR)).toBe(before);
    const settled = await c.ok(c.call(HEAD, { action: 'settleObjection', id, uphold: true, reason: '核实当天未参加' }));
    expect(settled.status).toBe('cancelled');
    expect(settled.objections[0].outcome).toBe('异议成立：核实当天未参加');
    const board = await c.ok(c.call(VILLAGER, { action: 'notices' }));
    expect(board.claims.find((x) => x.id === id)?.status).toBe('cancelled');
    await c.ok(c.tick());
    expect(await c.balance(NEIGHBOUR)).toBe(before);
  });

  it('a dismissed objection lets the record be posted by the next run', async () => {
    const before = await c.balance(NEIGHBOUR);
    const { id } = await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'neighbour-dispute'));
    await c.ok(c.call(VILLAGER, { action: 'object', id, reason: '我觉得不对' }));
    await later(4);
    await c.ok(c.tick());
    expect(await c.balance(NEIGHBOUR)).toBe(before);
    await c.ok(c.call(HEAD, { action: 'settleObjection', id, uphold: false, reason: '经核实属实' }));
    await c.ok(c.tick());
    expect(await c.balance(NEIGHBOUR)).toBe(before + 5);
  });
});

describe('awards, deductions and corrections', () => {
  it('a direct award and a deduction are posted after their notice, as award and deduction entries', async () => {
    const before = await c.balance(NEIGHBOUR);
    await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'law-antifraud'));
    await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'ban-burning'));
    await later(4);
    await c.ok(c.tick());
    expect(await c.balance(NEIGHBOUR)).toBe(before + 3 - 5);
    const { entries } = await c.ok(c.call(NEIGHBOUR, { action: 'ledger' }));
    expect(
      entries
        .slice(0, 2)
        .map((e) => e.cause)
        .sort(),
    ).toEqual(['award', 'deduction']);
  });

  it('a mistake is reversed by a new entry pointing at the old one, once', async () => {
    const { entries } = await c.ok(c.call(HEAD, { action: 'ledger', householdId: NEIGHBOUR_HOUSEHOLD }));
    const wrong = entries.find((e) => e.cause === 'deduction')!;
    const before = await c.balance(NEIGHBOUR);
    const rev = await c.ok(c.call(HEAD, { action: 'reverse', entryId: wrong.id, reason: '焚烧的是邻居家' }));
    expect(rev).toMatchObject({ cause: 'reversal', reverses: wrong.id, points: -wrong.points });
    expect(await c.balance(NEIGHBOUR)).toBe(before - wrong.points);
    await c.call(HEAD, { action: 'reverse', entryId: wrong.id, reason: '焚烧的是邻居家' });
    expect(await c.balance(NEIGHBOUR)).toBe(before - wrong.points);
    const again = await c.ok(c.call(HEAD, { action: 'ledger', householdId: NEIGHBOUR_HOUSEHOLD }));
    expect(again.entries.find((e) => e.id === wrong.id)).toEqual(wrong);
  });

  it('the roll of honour ranks the station’s households by this month’s conduct, not their shopping', async () => {
    const { rows } = await c.ok(c.call(VILLAGER, { action: 'rank' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.points)).toEqual([...rows.map((r) => r.points)].sort((a, b) => b - a));
    expect(rows.every((r) => r.stationId === STATION)).toBe(true);
    const year = await c.ok(c.call('demo-institute-admin', { action: 'rank', period: '2026', orgId: 'haian-01' }));
    expect(year.rows.length).toBeGreaterThan(0);
  });
});

describe('reservations nobody picks up', () => {
  it('are released by the timer after the pickup days: stock back, points refunded by a new entry', async () => {
    const itemId = await c.item(3, 1, '肥皂');
    const before = await c.balance(VILLAGER);
    const red = await c.ok(c.call(VILLAGER, { action: 'redeem', itemId, requestId: c.requestId() }));
    expect(await c.balance(VILLAGER)).toBe(before - 3);
    await later(8);
    expect((await c.ok(c.tick())).integral.expired).toBeGreaterThanOrEqual(1);
    expect(await c.balance(VILLAGER)).toBe(before);
    const { entries } = await c.ok(c.call(VILLAGER, { action: 'ledger' }));
    expect(entries[0]).toMatchObject({ cause: 'refund', points: 3, refId: red.id });
    const { items } = await c.ok(c.call(VILLAGER, { action: 'items' }));
    expect(items.find((i) => i.id === itemId)?.stock).toBe(1);
    expect(await c.code(c.call(HEAD, { action: 'verifyPickup', code: red.pickupCode }))).toBe('FAILED_PRECONDITION');
  });
});

it('after all of it, every household’s cached balance is the sum of its ledger entries', () => {
  const { sums, cached } = c.audit();
  expect(sums.size).toBeGreaterThan(3);
  expect(auditBalances(sums, cached)).toEqual([]);
});
