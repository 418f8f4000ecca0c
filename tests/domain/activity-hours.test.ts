/** Hours clipped to the activity, shown in the county's unit, and the star levels. */
import {
  minutesServed,
  starsOf,
  totalsOf,
  unitHours,
  beijingDayStart,
} from '../../cloudfunctions/shared/activity/domain/hours';

const t = (hm: string) => new Date(`2026-05-01T${hm}:00Z`);

it('clips the time served to the activity', () => {
  expect(minutesServed(t('01:30'), t('05:00'), t('02:00'), t('04:00'))).toBe(120);
  expect(minutesServed(t('02:10'), t('03:05'), t('02:00'), t('04:00'))).toBe(55);
  expect(minutesServed(t('04:10'), t('04:30'), t('02:00'), t('04:00'))).toBe(0);
});

it('rounds to the county unit, half hours by default', () => {
  expect(unitHours(100, 30)).toBe(1.5);
  expect(unitHours(74, 30)).toBe(1);
  expect(unitHours(75, 30)).toBe(1.5);
  expect(unitHours(100, 60)).toBe(2);
  expect(unitHours(100, 0)).toBe(1.5);
});

it.each([
  [0, 0, null, 100],
  [99 * 60 + 59, 0, null, 1],
  [100 * 60, 1, '一星志愿者', 200],
  [300 * 60, 2, '二星志愿者', 300],
  [600 * 60, 3, '三星志愿者', 400],
  [1000 * 60, 4, '四星志愿者', 500],
  [1500 * 60, 5, '五星志愿者', null],
])('%i minutes → %i stars', (minutes, stars, label, toNext) => {
  expect(starsOf(minutes)).toEqual({ stars, label, toNext });
});

it('keeps recorded and honour hours apart, by Beijing month and category', () => {
  const totals = totalsOf(
    [
      { kind: 'recorded', minutes: 90, category: 'health', at: new Date('2026-04-30T17:00:00Z') },
      { kind: 'recorded', minutes: -30, category: 'health', at: new Date('2026-04-10T02:00:00Z') },
      { kind: 'honour', minutes: 60, category: null, at: new Date('2026-04-10T02:00:00Z') },
    ],
    30,
  );
  expect(totals).toMatchObject({ recordedMinutes: 60, honourMinutes: 60, recordedHours: 1, honourHours: 1 });
  expect(totals.byMonth).toEqual([
    { month: '2026-05', minutes: 90 },
    { month: '2026-04', minutes: 30 },
  ]);
  expect(totals.byCategory).toEqual([{ category: 'health', minutes: 60 }]);
  expect(beijingDayStart('2026-05-01').toISOString()).toBe('2026-04-30T16:00:00.000Z');
});
