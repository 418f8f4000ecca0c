/**
 * The one period parser every stats action uses (overview, assessment, export): what it answers, and
 * every refusal — which field, why, and the plain Chinese message.
 */
import { isDay, parsePeriod, PERIOD_MAX_MONTHS } from '../../cloudfunctions/shared/stats/domain/period';

const now = new Date('2026-11-29T18:30:00Z'); // 2026-11-30 02:30 in Beijing

describe('parsePeriod', () => {
  it('defaults to 1 January of this Beijing year → today in Beijing, as Beijing instants', () => {
    expect(parsePeriod({}, now)).toEqual({
      from: '2026-01-01',
      to: '2026-11-30',
      start: new Date('2025-12-31T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
  });

  it('takes 1 January of the year `to` falls in when only `to` is given, and today when only `from` is', () => {
    expect(parsePeriod({ to: '2025-06-30' }, now)).toMatchObject({ from: '2025-01-01', to: '2025-06-30' });
    expect(parsePeriod({ from: '2025-03-01' }, now)).toMatchObject({ from: '2025-03-01', to: '2026-11-30' });
  });

  it('takes today, one day, and exactly the longest period', () => {
    expect(parsePeriod({ from: '2026-11-30', to: '2026-11-30' }, now)).toMatchObject({
      start: new Date('2026-11-29T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
    expect(parsePeriod({ from: '2024-12-01', to: '2026-11-30' }, now)).toMatchObject({ from: '2024-12-01' });
  });

  it.each([
    // wrong type
    [{ from: 20260101 }, 'from', 'type', /格式/],
    [{ to: null }, 'to', 'type', /格式/],
    [{ to: ['2026-01-01'] }, 'to', 'type', /格式/],
    // bad format, or no such day
    [{ from: '2026/01/01' }, 'from', 'format', /日期不对/],
    [{ from: '26-01-01' }, 'from', 'format', /日期不对/],
    [{ from: '2026-02-30' }, 'from', 'format', /日期不对/],
    [{ to: '2026-13-01' }, 'to', 'format', /日期不对/],
    [{ to: 'today' }, 'to', 'format', /日期不对/],
    [{ from: '1999-12-31' }, 'from', 'format', /日期不对/],
    [{ from: ' 2026-01-01' }, 'from', 'format', /日期不对/],
    // a day after today (Beijing): tomorrow already
    [{ to: '2026-12-01' }, 'to', 'future', /不能晚于今天（2026-11-30）/],
    [{ from: '2026-12-01' }, 'from', 'future', /不能晚于今天/],
    [{ from: '2062-01-01', to: '2062-12-31' }, 'from', 'future', /不能晚于今天/],
    // from after to
    [{ from: '2026-06-02', to: '2026-06-01' }, 'from', 'order', /开始日期不能晚于结束日期/],
    [{ to: '2025-06-30', from: '2025-07-01' }, 'from', 'order', /开始日期不能晚于结束日期/],
    // longer than the cap
    [{ from: '2024-11-30', to: '2026-11-30' }, 'from', 'length', new RegExp(`${PERIOD_MAX_MONTHS}个月`)],
    [{ from: '2000-01-01' }, 'from', 'length', new RegExp(`${PERIOD_MAX_MONTHS}个月`)],
  ])('refuses %j: %s, %s', (req, field, reason, words) => {
    const p = parsePeriod(req as { from?: unknown; to?: unknown }, now);
    expect('refusal' in p && p.refusal).toMatchObject({ field, reason, message: expect.stringMatching(words) });
    expect('refusal' in p && p.refusal.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('reads today in Beijing, not in UTC', () => {
    // 2026-11-30 18:00 UTC is already 1 December in Beijing.
    expect(parsePeriod({ to: '2026-12-01' }, new Date('2026-11-30T18:00:00Z'))).toMatchObject({ to: '2026-12-01' });
  });

  it('knows a real day', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
  });
});
