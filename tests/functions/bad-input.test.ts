/**
 * Bad input, table-driven: for every action of every function, a valid request is spoiled field by
 * field — left out when required, given the wrong type, pushed out of range, joined by an unknown
 * field — and each spoiled request must answer INVALID_ARGUMENT with a plain Chinese message and write
 * nothing (the database's write counter does not move).
 */
import type { Result } from '../../typings/errors';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { allActions } from '../helpers/actions';
import { ACTIVITY_SPECS } from '../helpers/activity-bad-input';
import { shanghaiDay } from '../../typings/time';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

type Spec = {
  /** A request that passes validation (what happens after does not matter here). */
  base: Record<string, unknown>;
  required: string[];
  /** Values out of range or of the wrong shape for a field, beyond the automatic wrong types. */
  bad?: Record<string, unknown[]>;
  /** Fields where null is a value (clears it), not a wrong type. */
  nullable?: string[];
};

const long = (n: number) => '长'.repeat(n);

const TODAY = shanghaiDay(Date.now());
const YEAR = Number(TODAY.slice(0, 4));
/** A day still to come however long the run takes (a day after tomorrow in Beijing). */
const COMING = shanghaiDay(Date.now() + 2 * 86_400_000);
/** The period every stats action reads (one parser), spoiled the same ways for each: refused alike. */
const PERIOD = { from: `${YEAR}-01-01`, to: TODAY };
const BAD_PERIOD = {
  // bad format, no such day, before 2000, still to come, more than 24 months before `to`
  from: ['2026/01/01', '2026-13-01', '2026-02-30', '1999-12-31', COMING, `${YEAR - 2}-01-01`],
  // bad format, no such day, still to come, before `from`
  to: ['today', '2026-02-30', COMING, `${YEAR - 1}-12-31`],
};
const ID = '0123456789abcdef0123456789abcdef';

const SPECS: Record<string, Spec> = {
  'user.login': { base: {}, required: [] },
  'user.me': { base: {}, required: [] },
  'user.bind': {
    base: { stationId: 'haian-01-001', name: '王大妈' },
    required: ['stationId', 'name'],
    bad: { name: ['王', long(21), '王<script>'], stationId: ['', '../etc', long(60)], householdId: ['', 'a b'] },
  },
  'user.answerJoin': {
    base: { openid: 'someone-else', approve: true },
    required: ['openid', 'approve'],
    bad: { openid: ['', 'a b', long(65)], approve: ['yes'] },
  },
  'user.registerVolunteer': {
    base: { name: '刘志愿', phone: '13900001111', skills: ['health'], stationIds: ['haian-01-001'] },
    required: ['name', 'skills', 'stationIds'],
    bad: {
      phone: ['1390000111', '23900001111', '1390000111a'],
      skills: [[], ['cooking'], Array(11).fill('health')],
      stationIds: [[], Array(6).fill('haian-01-001')],
      availability: [
        { weekdays: [8], slots: [] },
        { weekdays: [1], slots: ['night'] },
      ],
    },
  },
  'user.pendingVolunteers': {
    base: { stationId: 'haian-01-001' },
    required: ['stationId'],
    bad: { stationId: ['', '../etc', long(60)] },
  },
  'user.reviewVolunteer': {
    base: { openid: 'someone', stationId: 'haian-01-001', approve: true },
    required: ['openid', 'stationId', 'approve'],
    bad: { openid: ['has space', long(70)], approve: ['yes', 1] },
  },
  'user.grantRole': {
    base: { openid: 'someone', role: 'stationHead', orgId: 'haian-01-001' },
    required: ['openid', 'role', 'orgId'],
    bad: { role: ['king'], openid: ['has space', long(70)] },
  },
  'user.revokeRole': {
    base: { openid: 'someone', role: 'stationHead', orgId: 'haian-01-001' },
    required: ['openid', 'role', 'orgId'],
    bad: { role: ['king'] },
  },
  'user.listPeople': { base: {}, required: [], bad: { page: [-1, 1.5, 100_001], q: ['', long(21)], role: ['king'] } },
  'user.myData': {
    base: { list: 'requested', page: 0 },
    required: [],
    bad: { list: ['everything', ''], page: [-1, 1.5, 10_001] },
  },
  'user.close': { base: { confirm: true }, required: ['confirm'], bad: { confirm: [false] } },
  'org.get': { base: {}, required: [], bad: { id: ['', '..', 'a b'] } },
  'org.tree': { base: { id: 'haian' }, required: ['id'], bad: { depth: [0, 3, 1.5], pageSize: [0, 51], page: [-1] } },
  'org.nearby': {
    base: { lat: 32.5, lng: 120.4, radiusM: 1000 },
    required: ['lat', 'lng', 'radiusM'],
    bad: { lat: [91, -91], lng: [181], radiusM: [0, -5, 20_001], limit: [0, 51] },
  },
  'org.nearestStations': { base: { lat: 32.5, lng: 120.4 }, required: ['lat', 'lng'], bad: { limit: [0, 21] } },
  'org.search': { base: { q: '村' }, required: ['q'], bad: { q: ['', '   ', long(31)], level: ['village'] } },
  'org.create': {
    base: { parentId: 'haian-01-001', name: '新书屋', location: { lat: 32.5, lng: 120.4 }, kind: 'library' },
    required: ['parentId', 'name'],
    bad: {
      name: ['新', long(41)],
      kind: ['castle'],
      location: [{ lat: 32.5 }, { lat: 'x', lng: 1 }],
      hours: [long(61)],
    },
  },
  'org.retire': {
    base: { parentId: 'haian-01-001', id: 'haian-01-001-01', reason: '建错了' },
    required: ['parentId', 'id', 'reason'],
    bad: { id: ['', '../etc'], reason: ['x', long(61)] },
  },
  'org.update': {
    base: { id: 'haian-01-001', hours: '全天' },
    required: ['id'],
    nullable: ['hours'],
    bad: { address: [long(81)], kind: ['castle'] },
  },
  'order.create': {
    base: {
      kind: 'wish',
      category: 'health',
      title: '帮忙量血压',
      content: '想请人上门量血压',
      requestId: 'bad-input-000001',
    },
    required: ['kind', 'category', 'title', 'content', 'requestId'],
    bad: {
      kind: ['lecture'],
      category: ['cooking'],
      title: ['短', long(31)],
      content: ['短', long(501)],
      requestId: ['short', 'has space inside', long(65)],
      photos: [['a', 'b', 'c', 'd'], [''], 'cloud://x'],
      contact: [{ phone: '123' }, { address: long(81) }, { email: 'a@b.c' }],
      location: [{ lat: 200, lng: 0 }],
    },
  },
  'order.similar': { base: { category: 'health' }, required: ['category'], bad: { category: ['cooking'] } },
  'order.get': { base: { id: ID }, required: ['id'], bad: { id: ['', 'a/b', long(65)] } },
  'order.list': {
    base: { scope: 'mine' },
    required: ['scope'],
    bad: { scope: ['everything'], status: [[], ['lost']], level: ['town'], page: [-1] },
  },
  'order.hall': { base: {}, required: [], bad: { page: [-1, 0.5], lat: [99] } },
  'order.counts': { base: { orgId: 'haian-01-001' }, required: [], bad: { orgId: ['', 'a/b', long(65)] } },
  'order.review': { base: { id: ID, approve: true }, required: ['id', 'approve'], bad: { reason: ['x', long(201)] } },
  'order.candidates': { base: { id: ID }, required: ['id'] },
  'order.dispatch': {
    base: { id: ID, volunteer: 'demo-volunteer' },
    required: ['id', 'volunteer'],
    bad: { volunteer: ['', 'a b'] },
  },
  'order.accept': { base: { id: ID }, required: ['id'] },
  'order.decline': {
    base: { id: ID, reason: '没空去' },
    required: ['id', 'reason'],
    bad: { reason: ['', 'x', long(201)] },
  },
  'order.fulfil': {
    base: { id: ID, note: '已办好了', minutes: 60 },
    required: ['id', 'note'],
    bad: { note: ['x', long(501)], photos: [['a', 'b', 'c', 'd']], minutes: [0, 1.5, 1441] },
  },
  'order.rate': {
    base: { id: ID, stars: 5 },
    required: ['id', 'stars'],
    bad: { stars: [0, 6, 4.5], comment: [long(201)] },
  },
  'order.cancel': { base: { id: ID }, required: ['id'] },
  'order.reopen': { base: { id: ID, reason: '没有真正办好' }, required: ['id', 'reason'], bad: { reason: ['x'] } },
  'order.urge': {
    base: { id: ID, requestId: 'urge-bad-0001' },
    required: ['id', 'requestId'],
    bad: { requestId: ['short', 'has space here', long(65)] },
  },
  'order.settings': { base: {}, required: [] },
  'order.setSettings': {
    base: {
      settings: {
        sla: {
          station: { reviewHours: 24, takeHours: 48, fulfilHours: 168 },
          institute: { reviewHours: 24, takeHours: 48, fulfilHours: 168 },
          center: { reviewHours: 24, takeHours: 72, fulfilHours: 240 },
        },
        acceptHours: 12,
        autoCloseDays: 7,
        autoCloseStars: 5,
        reopenDays: 7,
        dailyLimit: 3,
        similarWithinM: 500,
        placeWithinM: 20_000,
      },
    },
    required: ['settings'],
    bad: { settings: [{}, { sla: {} }] },
  },
  'order.setAutoDispatch': {
    base: { stationId: 'haian-01-001', on: true },
    required: ['stationId', 'on'],
    bad: { on: ['yes'] },
  },
  'order.messages': { base: {}, required: [], bad: { page: [-1] } },
  'order.markRead': { base: { ids: ['x'] }, required: ['ids'], bad: { ids: [[], Array(101).fill('x')] } },
  'order.reveals': {
    base: { stationId: 'haian-01-001' },
    required: ['stationId'],
    bad: { stationId: ['', '../etc'], page: [-1, 1.5] },
  },
  'order.subscribed': {
    base: { templates: ['progress'] },
    required: ['templates'],
    bad: { templates: [[], ['spam'], ['progress', 'progress', 'progress', 'progress']] },
  },
  ...ACTIVITY_SPECS,
  'integral.rules': { base: {}, required: [], bad: { stationId: ['', '../x'] } },
  'integral.setRule': {
    base: { stationId: 'haian-01-001', ruleId: 'env-yard', points: 4 },
    required: ['stationId', 'ruleId'],
    bad: { points: [1.5] },
  },
  'integral.claim': {
    base: { ruleId: 'filial-visit', note: '陪父母', requestId: 'req-12345678' },
    required: ['ruleId', 'note', 'requestId'],
    bad: {
      note: ['', ' ', long(201)],
      requestId: ['short', 'has space 1234'],
      photos: [Array(4).fill('f')],
      householdId: ['abc'],
    },
  },
  'integral.claims': { base: { scope: 'mine' }, required: ['scope'], bad: { scope: ['all'], page: [-1, 1.5] } },
  'integral.review': {
    base: { id: ID, approve: true },
    required: ['id', 'approve'],
    bad: { reason: [long(201)] },
  },
  'integral.award': {
    base: { householdId: '20000001', ruleId: 'env-yard', note: '庭院整洁', requestId: 'req-12345678' },
    required: ['householdId', 'ruleId', 'note', 'requestId'],
    bad: { householdId: ['12'], note: [long(201)] },
  },
  'integral.notices': { base: {}, required: [], bad: { page: [-1] } },
  'integral.object': {
    base: { id: ID, reason: '不属实' },
    required: ['id', 'reason'],
    bad: { reason: ['', long(201)] },
  },
  'integral.settleObjection': {
    base: { id: ID, uphold: true, reason: '核实属实' },
    required: ['id', 'uphold', 'reason'],
    bad: { reason: [''] },
  },
  'integral.ledger': { base: {}, required: [], bad: { householdId: ['x'], page: [-1] } },
  'integral.balance': { base: {}, required: [], bad: { householdId: ['x'] } },
  'integral.reverse': {
    base: { entryId: 'claim:x', reason: '记错了' },
    required: ['entryId', 'reason'],
    bad: { reason: [''] },
  },
  'integral.items': { base: {}, required: [], bad: { stationId: ['../x'] } },
  'integral.saveItem': {
    base: { stationId: 'haian-01-001', name: '香皂', points: 5, addStock: 3, pickupPlace: '村委会' },
    required: ['stationId', 'name', 'points', 'addStock', 'pickupPlace'],
    bad: { points: [0, 1.5, 100_001], addStock: [10_001], name: ['香', long(31)] },
  },
  'integral.redeem': {
    base: { itemId: 'demo-item-1', requestId: 'req-12345678' },
    required: ['itemId', 'requestId'],
    bad: { requestId: ['short'] },
  },
  'integral.redemptions': { base: { scope: 'mine' }, required: ['scope'], bad: { scope: ['all'] } },
  'integral.verifyPickup': { base: { code: '12345678' }, required: ['code'], bad: { code: ['1234', 'abcdefgh'] } },
  'integral.rank': { base: {}, required: [], bad: { period: ['2026-13', '26'] } },
  'integral.settings': { base: {}, required: [] },
  'stats.overview': {
    base: { orgId: 'haian-01', ...PERIOD },
    required: [],
    bad: { orgId: ['', '../x'], ...BAD_PERIOD },
  },
  'stats.assessment': {
    base: { level: 'station', ...PERIOD },
    required: [],
    bad: { level: ['point', 'center'], ...BAD_PERIOD },
  },
  'stats.setAssessment': {
    base: { indicators: [{ key: 'fulfilmentRate', weight: 100, target: 0.95 }] },
    required: ['indicators'],
    bad: {
      indicators: [
        [],
        [{ key: 'fulfilmentRate', weight: 90, target: 0.95 }],
        [{ key: 'speed', weight: 100, target: 1 }],
        [{ key: 'fulfilmentRate', weight: 100, target: 0 }],
        [
          { key: 'fulfilmentRate', weight: 50, target: 0.9 },
          { key: 'fulfilmentRate', weight: 50, target: 0.9 },
        ],
      ],
    },
  },
  'stats.public': { base: {}, required: [] },
  'stats.export': {
    base: { kind: 'orders', ...PERIOD },
    required: ['kind'],
    bad: { kind: ['people', 'Figures'], orgId: ['../x'], ...BAD_PERIOD },
  },
  'integral.setSettings': {
    base: { settings: { noticeDays: 3, secondApprovalAbove: 20, burstLimit: 30, burstWindowMin: 60, pickupDays: 7 } },
    required: ['settings'],
    bad: {
      settings: [
        { noticeDays: 0, secondApprovalAbove: 20, burstLimit: 30, burstWindowMin: 60, pickupDays: 7 },
        { noticeDays: 3, secondApprovalAbove: 20, burstLimit: 30, burstWindowMin: 60, pickupDays: 61 },
        { noticeDays: 3.5, secondApprovalAbove: 20, burstLimit: 30, burstWindowMin: 60, pickupDays: 7 },
        { noticeDays: 3, secondApprovalAbove: 20, burstLimit: 30, burstWindowMin: 60 },
      ],
    },
  },
};

/** A value of the wrong type for whatever the field holds. */
function wrongType(v: unknown): unknown[] {
  if (typeof v === 'string') return [42, null, ['x']];
  if (typeof v === 'number') return ['42', null, true];
  if (typeof v === 'boolean') return ['true', 1];
  if (Array.isArray(v)) return ['x', { 0: v[0] }];
  return ['x', 7];
}

it('has a row for every action of every function', () => {
  expect(allActions().filter((a) => !(a in SPECS))).toEqual([]);
});

const cases = Object.entries(SPECS).flatMap(([name, spec]) => {
  const out: [string, string, Record<string, unknown>][] = [];
  for (const f of spec.required) {
    const { [f]: _gone, ...rest } = spec.base;
    out.push([name, `without ${f}`, rest]);
  }
  for (const [f, v] of Object.entries(spec.base)) {
    for (const w of wrongType(v)) {
      if (w === null && spec.nullable?.includes(f)) continue;
      out.push([name, `${f} = ${JSON.stringify(w)}`, { ...spec.base, [f]: w }]);
    }
  }
  for (const [f, values] of Object.entries(spec.bad ?? {})) {
    for (const w of values) out.push([name, `${f} = ${JSON.stringify(w).slice(0, 40)}`, { ...spec.base, [f]: w }]);
  }
  out.push([name, 'an unknown field', { ...spec.base, surprise: 1 }]);
  return out;
});

it.each(cases)('%s %s → INVALID_ARGUMENT, nothing written', async (name, _what, req) => {
  const [fn, action] = name.split('.');
  const before = cloud.engine.revision();
  const r = await cloud.call<Result<unknown>>(fn, { action, ...req }, 'demo-center-admin');
  expect(r).toMatchObject({
    ok: false,
    error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/[\u4e00-\u9fa5]/) },
  });
  expect(cloud.engine.revision()).toBe(before);
});

it.each(Object.entries(BAD_PERIOD).flatMap(([f, values]) => values.map((v) => [f, v])))(
  'stats: a period with %s = %s is refused by the overview, the assessment and the export in the same words',
  async (field, value) => {
    const answers = await Promise.all(
      (['overview', 'assessment', 'export'] as const).map((action) =>
        cloud.call<Result<unknown>>(
          'stats',
          { action, ...SPECS[`stats.${action}`].base, [field]: value },
          'demo-center-admin',
        ),
      ),
    );
    const [first, ...rest] = answers;
    expect(first).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    for (const r of rest) expect(r).toEqual(first);
  },
);
