/**
 * The roll-ups' arithmetic (shared/stats/domain/rollups.ts): a run of closed months cut by year, the
 * year-to-dates it is summed from, and each month's roll-up computed from the month before's.
 */
import {
  chainOf,
  isClosed,
  isLate,
  monthEndMs,
  prevMonth,
  segmentsOf,
  totalOverRun,
  ytdMonthsOf,
} from '../../cloudfunctions/shared/stats/domain/rollups';
import type { Delta } from '../../cloudfunctions/shared/stats/domain/figures';

test('the month before crosses the year', () => {
  expect(prevMonth('2026-01')).toBe('2025-12');
  expect(prevMonth('2026-10')).toBe('2026-09');
  expect(prevMonth('2026-12')).toBe('2026-11');
});

test('a run of months is cut at each new year', () => {
  expect(segmentsOf(['2025-11', '2025-12', '2026-01', '2026-02'])).toEqual([
    { first: '2025-11', last: '2025-12' },
    { first: '2026-01', last: '2026-02' },
  ]);
  expect(segmentsOf(['2026-03'])).toEqual([{ first: '2026-03', last: '2026-03' }]);
  expect(segmentsOf([])).toEqual([]);
});

test('a run is summed from each year’s last year-to-date and the one before its first, none before a January', () => {
  expect(ytdMonthsOf(['2026-01', '2026-02', '2026-03'])).toEqual(['2026-03']);
  expect(ytdMonthsOf(['2026-04', '2026-05'])).toEqual(['2026-03', '2026-05']);
  expect(
    ytdMonthsOf([
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]),
  ).toEqual(['2025-02', '2025-12', '2026-02']);
});

/** Month totals of a made-up node: each month a different, uneven amount. */
const monthly: Record<string, Delta> = {
  '2025-11': { posted: 4, fulfilled: 1 },
  '2025-12': { posted: 7, fulfilled: 7, recordedMinutes: 90 },
  '2026-01': { posted: 2 },
  '2026-02': { posted: 9, fulfilled: 3, ratingSum: 11, ratingCount: 3 },
  '2026-03': { fulfilled: 5 },
  '2026-04': { posted: 1, recordedMinutes: 45 },
};
const totalsOf = (m: string) => monthly[m] ?? {};

/** The sum of the months one by one: what a roll-up must agree with. */
function direct(months: readonly string[]): Delta {
  const out: Delta = {};
  for (const m of months) for (const [k, v] of Object.entries(totalsOf(m))) out[k] = (out[k] ?? 0) + v;
  return out;
}

test('each month’s roll-up is the month before’s year-to-date plus its own totals', () => {
  const chain = chainOf({}, ['2026-01', '2026-02', '2026-03'], totalsOf);
  expect(chain.map((r) => r.month)).toEqual(['2026-01', '2026-02', '2026-03']);
  expect(chain[0]).toEqual({ month: '2026-01', totals: { posted: 2 }, ytd: { posted: 2 } });
  expect(chain[2].ytd).toEqual(direct(['2026-01', '2026-02', '2026-03']));
  expect(chain[1].totals).toEqual(monthly['2026-02']);
  // Built on a kept year-to-date: the same as built from January.
  const onTop = chainOf(chain[1].ytd, ['2026-03', '2026-04'], totalsOf);
  expect(onTop[1].ytd).toEqual(chainOf({}, ['2026-01', '2026-02', '2026-03', '2026-04'], totalsOf)[3].ytd);
  // The base is not changed by the chain built on it.
  expect(chain[1].ytd).toEqual(direct(['2026-01', '2026-02']));
});

test('every run of months within two years sums from the year-to-dates to what the months sum to one by one', () => {
  const all = Object.keys(monthly);
  const ytd = new Map<string, Delta>();
  for (const year of ['2025', '2026']) {
    const months = all.filter((m) => m.startsWith(year));
    const fromJan = Array.from(
      { length: Number(months[0].slice(5)) - 1 },
      (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`,
    );
    for (const r of chainOf({}, [...fromJan, ...months], totalsOf)) ytd.set(r.month, r.ytd);
  }
  for (let i = 0; i < all.length; i += 1) {
    for (let j = i; j < all.length; j += 1) {
      const run = all.slice(i, j + 1);
      expect(totalOverRun(run, (m) => ytd.get(m) ?? {})).toEqual(direct(run));
    }
  }
});

test('a month is late for a raise an hour after its end and closed for a reader two hours after', () => {
  const end = monthEndMs('2026-03');
  expect(new Date(end).toISOString()).toBe('2026-03-31T16:00:00.000Z');
  expect(isLate('2026-03', end + 3_599_999)).toBe(false);
  expect(isLate('2026-03', end + 3_600_000)).toBe(true);
  expect(isClosed('2026-03', end + 7_199_999)).toBe(false);
  expect(isClosed('2026-03', end + 7_200_000)).toBe(true);
});
