/**
 * Who may do what with points, through the local cloud: the monthly cap, nobody deciding for their
 * own household, the institute's second approval, a station head kept to their own village, a
 * villager who cannot approve, a burst of approvals flagged to the institute.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';
import {
  HEAD,
  HOUSEHOLD,
  integralClient,
  NEIGHBOUR,
  NEIGHBOUR_HOUSEHOLD,
  newHousehold,
  STATION,
  VILLAGER,
} from '../helpers/integral';

let cloud: TestCloud;
let c: ReturnType<typeof integralClient>;
const OTHER_HEAD = 'guard-other-head';
const HEAD_AT_HOME = 'guard-head-at-home';
const INSTITUTE = 'demo-institute-admin';

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  c = integralClient(cloud);
  person(cloud, OTHER_HEAD, [['stationHead', 'haian-01-002']], '邻村站长');
  // A station head who is also a member of a household of the village they run.
  person(
    cloud,
    HEAD_AT_HOME,
    [
      ['stationHead', STATION],
      ['villager', STATION],
    ],
    '副站长',
  );
  newHousehold(cloud, '30000009', STATION, [HEAD_AT_HOME]);
});

afterAll(async () => {
  await cloud.close();
});

const claimBy = async (openid: string, ruleId = 'filial-visit') =>
  (await c.ok(c.call(openid, { action: 'claim', ruleId, note: '周末陪父母', requestId: c.requestId() }))).id;

describe('the monthly cap', () => {
  it('refuses an approval past the rule’s cap for the household this month, and an award past it', async () => {
    const ids = [await claimBy(NEIGHBOUR), await claimBy(NEIGHBOUR), await claimBy(NEIGHBOUR)];
    await c.ok(c.call(HEAD, { action: 'review', id: ids[0], approve: true }));
    await c.ok(c.call(HEAD, { action: 'review', id: ids[1], approve: true }));
    const third = await c.call(HEAD, { action: 'review', id: ids[2], approve: true });
    expect(third.ok ? 'ok' : third.error).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('每户每月最多2次'),
    });
    expect(await c.code(c.award(NEIGHBOUR_HOUSEHOLD, 'filial-visit'))).toBe('FAILED_PRECONDITION');
  });
});

describe('one’s own household', () => {
  it('a station head can neither approve nor award nor settle for their own household', async () => {
    const id = await claimBy(HEAD_AT_HOME, 'customs-reading');
    expect(await c.code(c.call(HEAD_AT_HOME, { action: 'review', id, approve: true }))).toBe('FORBIDDEN');
    expect(await c.code(c.award('30000009', 'env-yard', HEAD_AT_HOME))).toBe('FORBIDDEN');
    // Another head of the village may.
    expect((await c.ok(c.call(HEAD, { action: 'review', id, approve: true }))).status).toBe('notice');
  });
});

describe('the second approver', () => {
  it('an award above the line waits for the institute; the station head cannot give the second approval', async () => {
    await c.ok(c.call(HEAD, { action: 'setRule', stationId: STATION, ruleId: 'filial-family', points: 40 }));
    const { id, status } = await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'filial-family'));
    expect(status).toBe('second');
    expect(await c.code(c.call(HEAD, { action: 'review', id, approve: true }))).toBe('FORBIDDEN');
    const queue = await c.ok(c.call(INSTITUTE, { action: 'claims', scope: 'second', stationId: 'haian-01' }));
    expect(queue.claims.map((x) => x.id)).toContain(id);
    expect((await c.ok(c.call(INSTITUTE, { action: 'review', id, approve: true }))).status).toBe('notice');
  });

  it('a station cannot move a rule outside the center’s bounds', async () => {
    const r = await c.call(HEAD, { action: 'setRule', stationId: STATION, ruleId: 'filial-family', points: 41 });
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_ARGUMENT');
    expect(
      await c.code(c.call(OTHER_HEAD, { action: 'setRule', stationId: STATION, ruleId: 'env-yard', points: 4 })),
    ).toBe('FORBIDDEN');
  });
});

describe('scope', () => {
  it('a station head of another village cannot review, award, read the ledger, settle or check a pickup here', async () => {
    const id = await claimBy(VILLAGER, 'customs-reading');
    expect(await c.code(c.call(OTHER_HEAD, { action: 'review', id, approve: true }))).toBe('FORBIDDEN');
    expect(await c.code(c.award(HOUSEHOLD, 'env-yard', OTHER_HEAD))).toBe('FORBIDDEN');
    expect(await c.code(c.call(OTHER_HEAD, { action: 'balance', householdId: HOUSEHOLD }))).toBe('FORBIDDEN');
    expect(await c.code(c.call(OTHER_HEAD, { action: 'ledger', householdId: HOUSEHOLD }))).toBe('FORBIDDEN');
    expect(await c.code(c.call(OTHER_HEAD, { action: 'claims', scope: 'queue', stationId: STATION }))).toBe(
      'FORBIDDEN',
    );
    const itemId = await c.item(1, 5, '纸巾');
    const red = await c.ok(c.call(VILLAGER, { action: 'redeem', itemId, requestId: c.requestId() }));
    expect(await c.code(c.call(OTHER_HEAD, { action: 'verifyPickup', code: red.pickupCode }))).toBe('FORBIDDEN');
    expect(
      await c.code(
        c.call(OTHER_HEAD, {
          action: 'saveItem',
          stationId: STATION,
          name: '偷放的',
          points: 1,
          addStock: 1,
          pickupPlace: '别处',
        }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('a villager cannot approve, award, read a neighbour’s ledger, or see the review queue', async () => {
    const id = await claimBy(NEIGHBOUR, 'customs-reading');
    expect(await c.code(c.call(VILLAGER, { action: 'review', id, approve: true }))).toBe('FORBIDDEN');
    expect(await c.code(c.award(NEIGHBOUR_HOUSEHOLD, 'env-yard', VILLAGER))).toBe('FORBIDDEN');
    expect(await c.code(c.call(VILLAGER, { action: 'ledger', householdId: NEIGHBOUR_HOUSEHOLD }))).toBe('FORBIDDEN');
    expect(await c.code(c.call(VILLAGER, { action: 'balance', householdId: NEIGHBOUR_HOUSEHOLD }))).toBe('FORBIDDEN');
    expect(await c.code(c.call(VILLAGER, { action: 'claims', scope: 'queue' }))).toBe('FORBIDDEN');
    expect(await c.code(c.call(VILLAGER, { action: 'rank', orgId: 'haian-01-002' }))).toBe('FORBIDDEN');
  });

  it('only a villager of the village may object, and a claim may recommend only a household of the village', async () => {
    const { id } = await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'env-toilet'));
    person(cloud, 'guard-outsider', [['villager', 'haian-01-002']], '外村人');
    expect(await c.code(c.call('guard-outsider', { action: 'object', id, reason: '我不认识他' }))).toBe('FORBIDDEN');
    const rec = await c.call(VILLAGER, {
      action: 'claim',
      ruleId: 'neighbour-found',
      note: '钱家拾金不昧',
      householdId: NEIGHBOUR_HOUSEHOLD,
      photos: ['cloud://local/photo.jpg'],
      requestId: c.requestId(),
    });
    expect(rec.ok || rec.error.code).not.toBe('FORBIDDEN');
  });
});

describe('a burst of approvals', () => {
  it('is flagged to the institute once one person approves more than the limit within the window', async () => {
    cloud.engine.insert('integralSettings', [{ _id: 'center', settings: { burstLimit: 2 } }]);
    for (const rule of ['law-fire', 'env-sorting', 'diligence-skill']) {
      await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, rule));
    }
    const flagged = await c.ok(c.call(INSTITUTE, { action: 'claims', scope: 'flagged', stationId: 'haian-01' }));
    expect(flagged.claims.length).toBe(0);
    const pending = [await claimBy(VILLAGER), await claimBy(VILLAGER)];
    for (const id of pending) await c.ok(c.call(HEAD, { action: 'review', id, approve: true }));
    const after = await c.ok(c.call(INSTITUTE, { action: 'claims', scope: 'flagged', stationId: 'haian-01' }));
    expect(after.claims.map((x) => x.id)).toEqual(expect.arrayContaining(pending));
  });
});
