/**
 * The command center's trend chart (packages/admin/components/stats-chart/draw.ts) labels its y axis
 * with whole counts and a top close above the largest month: a county's 290 wishes under 300 (not
 * 500, leaving the line in the lower half), a station's 3 under 4 with a middle line of 2 (not 2.5).
 */
import { drawLine, niceMax, type Ctx2D } from '../../miniprogram/packages/admin/components/stats-chart/draw';

/** A 2D context that keeps the text drawn. */
function recorder(): Ctx2D & { texts: string[] } {
  const texts: string[] = [];
  const noop = () => undefined;
  return {
    texts,
    clearRect: noop,
    beginPath: noop,
    moveTo: noop,
    lineTo: noop,
    arc: noop,
    stroke: noop,
    fill: noop,
    fillText: (t: string) => void texts.push(t),
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    font: '',
    textAlign: '',
    textBaseline: '',
  };
}

const axisOf = (data: number[]) => {
  const ctx = recorder();
  const categories = data.map((_, i) => `${i + 1}月`);
  drawLine(ctx, 320, 210, { categories, series: [{ name: '点单', color: '#2f6db5', data }] }, 13);
  return ctx.texts.filter((t) => !t.endsWith('月'));
};

describe('the trend chart’s y axis', () => {
  it('tops a county’s months close above the largest', () => {
    expect(axisOf([0, 12, 44, 62, 290])).toEqual(['0', '150', '300']);
    expect(axisOf([5, 84, 40])).toEqual(['0', '50', '100']);
  });

  it('labels a station’s handful with whole counts', () => {
    expect(axisOf([0, 1, 3])).toEqual(['0', '2', '4']);
    expect(axisOf([0, 0, 0])).toEqual(['0', '1', '2']);
    expect(axisOf([7, 2])).toEqual(['0', '4', '8']);
  });

  it('always has an even top at or above the largest count', () => {
    for (let n = 0; n <= 5000; n += 1) {
      const top = niceMax(n);
      expect(top >= n && top % 2 === 0 && top <= Math.max(2, n * 2)).toBe(true);
    }
  });
});
