/** What the big screen draws, without a browser: the stations' projection, their colours, the numbers' text. */
import {
  BANDS,
  NO_RATE,
  clockText,
  countText,
  niceMax,
  project,
  rateColor,
  rateText,
  trendPaths,
} from '../../bigscreen/view';

const station = (id: string, lat: number, lng: number, fulfilmentRate: number | null = 0.9) => ({
  id,
  name: `${id}村`,
  lat,
  lng,
  fulfilmentRate,
});

describe('the map', () => {
  test('north is up, east is right, and the county fills the box within its margin', () => {
    const dots = project(
      [station('w', 32.5, 120.3), station('e', 32.5, 120.7), station('n', 32.7, 120.5), station('s', 32.3, 120.5)],
      800,
      800,
      20,
    );
    const at = Object.fromEntries(dots.map((d) => [d.id, d]));
    expect(at.w.x).toBeLessThan(at.e.x);
    expect(at.n.y).toBeLessThan(at.s.y);
    expect(at.w.y).toBe(at.e.y);
    expect(at.n.x).toBe(at.s.x);
    for (const d of dots) {
      expect(d.x).toBeGreaterThanOrEqual(20);
      expect(d.x).toBeLessThanOrEqual(780);
      expect(d.y).toBeGreaterThanOrEqual(20);
      expect(d.y).toBeLessThanOrEqual(780);
    }
    // The limiting span (north–south: 0.4° against 0.4°·cos 32.5° east–west) touches both margins.
    expect([at.n.y, at.s.y]).toEqual([20, 780]);
    // A degree of longitude is shorter than one of latitude at 32.5° N: the county keeps its shape.
    const ew = at.e.x - at.w.x;
    expect(ew / (at.s.y - at.n.y)).toBeCloseTo(Math.cos((32.5 * Math.PI) / 180), 2);
  });

  test('one station sits in the middle; stations without a place are left out', () => {
    expect(project([station('a', 32.5, 120.5), station('b', Number.NaN, 120)], 400, 300)).toEqual([
      { id: 'a', name: 'a村', x: 200, y: 150, color: rateColor(0.9), rate: '90.0%' },
    ]);
    expect(project([], 400, 300)).toEqual([]);
  });

  test('colours follow the fulfilment rate bands; no rate is grey', () => {
    expect(rateColor(1)).toBe(BANDS[0].color);
    expect(rateColor(0.95)).toBe(BANDS[0].color);
    expect(rateColor(0.9499)).toBe(BANDS[1].color);
    expect(rateColor(0.85)).toBe(BANDS[1].color);
    expect(rateColor(0.5)).toBe(BANDS[2].color);
    expect(rateColor(0)).toBe(BANDS[2].color);
    expect(rateColor(null)).toBe(NO_RATE.color);
  });
});

describe('the numbers', () => {
  test('rates to one decimal, counts with separators, large counts in 万', () => {
    expect(rateText(0.963)).toBe('96.3%');
    expect(rateText(1)).toBe('100.0%');
    expect(rateText(null)).toBe('—');
    expect(countText(0)).toBe('0');
    expect(countText(5213)).toBe('5,213');
    expect(countText(99999)).toBe('99,999');
    expect(countText(123456)).toBe('12.3万');
  });

  test('the trend spans the box, its top a round number', () => {
    expect(niceMax(0)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(130)).toBe(200);
    expect(niceMax(500)).toBe(500);
    const t = trendPaths(
      [
        { month: '2026-01', posted: 10, fulfilled: 5, fulfilmentRate: 0.5, checkins: 0, recordedMinutes: 0 },
        { month: '2026-02', posted: 20, fulfilled: 20, fulfilmentRate: 1, checkins: 0, recordedMinutes: 0 },
      ],
      100,
      50,
    );
    expect(t.max).toBe(20);
    expect(t.posted).toBe('M0.0,25.0 L100.0,0.0');
    expect(t.fulfilled).toBe('M0.0,37.5 L100.0,0.0');
    expect(t.labels.map((l) => l.text)).toEqual(['1月', '2月']);
  });

  test('the clock reads Beijing time', () => {
    expect(clockText('2026-11-30T05:40:12.000Z')).toBe('13:40:12');
    expect(clockText('not a time')).toBe('');
  });
});
