/**
 * The county's assessment, worked out by hand: four made-up stations under a three-indicator method
 * ranked exactly as the arithmetic in the comments says; the method's own checks.
 */
import { assess, DEMO_METHOD, methodProblem, type Unit } from '../../cloudfunctions/shared/stats/domain/assessment';
import { K } from '../../cloudfunctions/shared/stats/domain/figures';

// fulfilment rate 50 points at 95 %… here 90 %, activities per station-month 30 at 4, response 20 at 24 h.
const METHOD = {
  indicators: [
    { key: 'fulfilmentRate' as const, weight: 50, target: 0.9 },
    { key: 'activitiesPerStationMonth' as const, weight: 30, target: 4 },
    { key: 'responseHours' as const, weight: 20, target: 24 },
  ],
};

const station = (name: string, counters: Record<string, number>): Unit => ({
  orgId: name,
  name,
  level: 'station',
  counters,
  stations: 1,
  months: 1,
});

const UNITS = [
  // B: 6 of 8 owed (10 posted, 2 rejected) = 0.75 → 50 × 0.75 / 0.9 = 41.67; 2 activities → 30 × 2/4 = 15;
  // two accepts in the 1,440–2,880 min bucket → median 1,440 + ½ × 1,440 = 2,160 min = 36 h → 20 × 24/36 = 13.33.
  station('B村', { [K.posted]: 10, [K.rejected]: 2, [K.fulfilled]: 6, [K.held]: 2, [K.accept(8)]: 2 }),
  // A: 9 of 10 = 0.9 → 50; 4 activities → 30; three accepts in 720–1,440 → median 720 + ½ × 720 = 1,080 min
  // = 18 h, under 24 → 20. Total 100.
  station('A村', { [K.posted]: 10, [K.fulfilled]: 9, [K.held]: 4, [K.accept(7)]: 3 }),
  // C and D: nothing posted (no rate: 0), 8 activities (capped at 30), no accepts (0): 30 each, sharing rank 3.
  station('D村', { [K.held]: 8 }),
  station('C村', { [K.held]: 8 }),
];

test('ranks the made-up stations as worked out by hand, each score with its parts', () => {
  const rows = assess(METHOD, UNITS);
  expect(rows.map((r) => [r.name, r.rank, r.score])).toEqual([
    ['A村', 1, 100],
    ['B村', 2, 70],
    ['C村', 3, 30],
    ['D村', 3, 30],
  ]);
  expect(rows[1].parts).toEqual([
    { key: 'fulfilmentRate', value: 0.75, weight: 50, score: 41.67 },
    { key: 'activitiesPerStationMonth', value: 2, weight: 30, score: 15 },
    { key: 'responseHours', value: 36, weight: 20, score: 13.33 },
  ]);
  expect(rows[2].parts[0]).toEqual({ key: 'fulfilmentRate', value: null, weight: 50, score: 0 });
});

test('an institute’s activities count per station and month', () => {
  const [row] = assess({ indicators: [{ key: 'activitiesPerStationMonth', weight: 100, target: 4 }] }, [
    { ...station('镇', { [K.held]: 36 }), level: 'institute', stations: 3, months: 6 },
  ]);
  // 36 ÷ (3 stations × 6 months) = 2 a station-month: half the target.
  expect(row.parts[0]).toMatchObject({ value: 2, score: 50 });
});

test('a method’s weights add up to 100, each indicator known and once, targets positive', () => {
  expect(methodProblem(DEMO_METHOD.indicators)).toBeNull();
  expect(methodProblem([])).toMatch(/至少/);
  expect(methodProblem([{ key: 'fulfilmentRate', weight: 90, target: 0.9 }])).toMatch(/100.*90/);
  expect(
    methodProblem([
      { key: 'ratingAverage', weight: 50, target: 4 },
      { key: 'ratingAverage', weight: 50, target: 4 },
    ]),
  ).toMatch(/只能设一次/);
  expect(methodProblem([{ key: 'fulfilmentRate', weight: 100, target: 95 }])).toMatch(/0到1/);
  expect(methodProblem([{ key: 'speed' as never, weight: 100, target: 1 }])).toMatch(/没有/);
});
