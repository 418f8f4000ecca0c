/**
 * The figures' arithmetic: what an order's events add (a reopen gives a fulfilment back), the Beijing
 * day, the documents a period is read from, medians from buckets, the rate, and the laggards.
 */
import {
  bucketOf,
  dayOf,
  K,
  orderEventDelta,
  writesOf,
  type EventFacts,
  type FigureDoc,
} from '../../cloudfunctions/shared/stats/domain/figures';
import { figuresOf, medianOf, rankChildren, sumIn } from '../../cloudfunctions/shared/stats/domain/summing';
import { entryDelta, recompute } from '../../cloudfunctions/shared/stats/domain/records';

const o = { kind: 'wish' as const, category: 'health' as const, createdAt: '2026-03-01T00:00:00Z' };
const ev = (type: string, at: string, extra: Partial<EventFacts> = {}): EventFacts => ({
  type,
  from: null,
  to: 'open',
  by: 'v1',
  at,
  ...extra,
});

test('the Beijing day starts at 16:00 UTC', () => {
  expect(dayOf('2026-03-01T15:59:59Z')).toBe('2026-03-01');
  expect(dayOf('2026-03-01T16:00:00Z')).toBe('2026-03-02');
});

test('an order’s events add to the counters, and a reopen gives back the fulfilment, the close and the rating', () => {
  const timeline = [
    ev('created', '2026-03-01T00:00:00Z'),
    ev('reviewed', '2026-03-01T01:00:00Z'),
    ev('accepted', '2026-03-01T02:00:00Z'),
    ev('fulfilled', '2026-03-02T00:00:00Z'),
    ev('rated', '2026-03-02T01:00:00Z', { stars: 4 }),
    ev('reopened', '2026-03-03T00:00:00Z', { from: 'closed' }),
  ];
  const total: Record<string, number> = {};
  timeline.forEach((e, i) => {
    for (const [k, v] of Object.entries(orderEventDelta(o, timeline.slice(0, i), e))) total[k] = (total[k] ?? 0) + v;
  });
  const f = figuresOf(total);
  expect(f.orders).toMatchObject({ posted: 1, reviewed: 1, fulfilled: 0, closed: 0 });
  expect(f.ratings).toBe(0);
  expect(f.byCategory.health).toEqual({ posted: 1, fulfilled: 0 });
  // accepted after 120 minutes: the 120–240 bucket; fulfilled after a day: 1,440–2,880.
  expect(total[K.accept(bucketOf(120))]).toBe(1);
  expect(total[K.fulfil(bucketOf(1440))]).toBe(1);
});

test('a raise goes to the month document of every node of the path, the day’s counter inside', () => {
  const writes = writesOf([{ path: ['c', 'i', 's'], at: '2026-03-01T17:00:00Z', delta: { posted: 1 } }]);
  expect(writes.map((w) => w.id).sort()).toEqual(['c:2026-03', 'i:2026-03', 's:2026-03']);
  expect(writes.find((w) => w.id === 's:2026-03')).toMatchObject({
    base: { nodes: ['s', 'i'], month: '2026-03' },
    delta: { posted: 1, d02_posted: 1 },
  });
});

test('a period sums whole months by their totals and the months it covers in part by their days', () => {
  const doc = (month: string, c: Record<string, number>): FigureDoc => ({
    _id: `s:${month}`,
    orgId: 's',
    nodes: ['s'],
    grain: 'month',
    period: month,
    month,
    ...c,
  });
  const docs = [
    doc('2026-01', { posted: 5, d30_posted: 2, d31_posted: 3 }),
    doc('2026-02', { posted: 7, d01_posted: 7 }),
    doc('2026-03', { posted: 4, d01_posted: 1, d02_posted: 1, d03_posted: 2 }),
  ];
  expect(sumIn(docs, '2026-01-31', '2026-03-02')).toEqual({ posted: 3 + 7 + 2 });
  expect(sumIn(docs, '2026-01-01', '2026-03-31')).toEqual({ posted: 16 });
  expect(sumIn(docs, '2026-03-03', '2026-03-03')).toEqual({ posted: 2 });
});

test('the median is read from the buckets, interpolated within one', () => {
  // 2 in 0–15, 2 in 60–120: half is 2, reached at the end of the first bucket.
  expect(medianOf({ acc_0: 2, acc_3: 2 }, K.accept)).toBe(15);
  expect(medianOf({ acc_3: 4 }, K.accept)).toBe(90);
  expect(medianOf({}, K.accept)).toBeNull();
});

test('the rate is fulfilled ÷ (posted − rejected − cancelled); laggards first, marked below the median', () => {
  expect(figuresOf({ posted: 10, rejected: 1, cancelled: 1, fulfilled: 6 }).fulfilmentRate).toBe(0.75);
  expect(figuresOf({ posted: 2, rejected: 2 }).fulfilmentRate).toBeNull();
  const r = rankChildren([
    { name: 'a', fulfilmentRate: 0.9 },
    { name: 'b', fulfilmentRate: null },
    { name: 'c', fulfilmentRate: 0.6 },
    { name: 'd', fulfilmentRate: 0.88 },
  ]);
  expect(r.childMedianRate).toBe(0.88);
  expect(r.children.map((c) => [c.name, c.lagging])).toEqual([
    ['c', true],
    ['d', false],
    ['a', false],
    ['b', false],
  ]);
});

test('points: issued and deducted by conduct, redeemed in the shop, a reversal taking back its entry', () => {
  expect(entryDelta({ cause: 'award', points: 5 })).toEqual({ [K.issued]: 5 });
  expect(entryDelta({ cause: 'deduction', points: -3 })).toEqual({ [K.deducted]: 3 });
  expect(entryDelta({ cause: 'redemption', points: -20 })).toEqual({ [K.redeemed]: 20 });
  expect(entryDelta({ cause: 'refund', points: 20 })).toEqual({ [K.redeemed]: -20 });
  expect(entryDelta({ cause: 'reversal', points: -5 })).toEqual({ [K.issued]: -5 });
});

test('a volunteer counts once as active per node and month, however often they work there', () => {
  const path = ['c', 'i', 's'];
  const book = recompute({
    orders: [],
    checkins: [
      { openid: 'v1', inAt: '2026-03-01T02:00:00Z', path },
      { openid: 'v1', inAt: '2026-03-09T02:00:00Z', path },
      { openid: 'v1', inAt: '2026-04-01T02:00:00Z', path },
      { openid: 'v2', inAt: '2026-03-05T02:00:00Z', path: ['c', 'i', 's2'] },
    ],
    hours: [],
    activities: [],
    entries: [],
    volunteers: [],
  });
  const active = (id: string) => Number(book.docs.get(id)?.[K.active] ?? 0);
  expect(book.docs.get('s:2026-03')?.d01_volActive).toBe(1);
  expect([active('s:2026-03'), active('i:2026-03'), active('c:2026-03'), active('s:2026-04')]).toEqual([1, 2, 2, 1]);
  expect(Number(book.docs.get('c:2026-03')?.[K.checkins])).toBe(3);
});
