/**
 * A chart of the command center (`kind` line or ring), drawn with canvas 2D from the series the page
 * computed (stats-view.ts: trendSeries, categorySeries). The legend is WXML beside the canvas, so the
 * figures are also there to read (and for a screen reader). Redrawn whenever `chart` changes.
 */
import { defineComponent } from '../../../../base/component';
import type { LineSeries, RingSeries } from '../../stats-view';
import { drawLine, drawRing, type Ctx2D } from './draw';

interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): (Ctx2D & { scale(x: number, y: number): void }) | null;
}

defineComponent({
  properties: {
    kind: { type: String, value: 'line' as 'line' | 'ring' },
    chart: { type: Object, value: {} as LineSeries | RingSeries },
    /** The chart's height in rpx. */
    height: { type: Number, value: 420 },
  },
  data: {
    legend: [] as { name: string; color: string; value: string }[],
  },
  observers: {
    chart(chart: LineSeries | RingSeries) {
      this.setData({ legend: legendOf(chart) });
      this.draw();
    },
  },
  lifetimes: {
    ready() {
      this.draw();
    },
  },
  methods: {
    draw() {
      const chart = this.data.chart as LineSeries | RingSeries;
      if (!chart || !('series' in chart)) return;
      const query = this.createSelectorQuery?.();
      if (!query) return;
      query
        .select('.wm-chart__canvas')
        .fields({ node: true, size: true })
        .exec((res: { node?: CanvasNode; width?: number; height?: number }[] | null) => {
          const hit = res?.[0];
          const canvas = hit?.node;
          const ctx = canvas?.getContext?.('2d');
          if (!canvas || !ctx || !hit.width || !hit.height) return;
          const ratio = wx.getWindowInfo?.().pixelRatio ?? 2;
          canvas.width = hit.width * ratio;
          canvas.height = hit.height * ratio;
          ctx.scale(ratio, ratio);
          const font = Math.max(12, Math.round(hit.width / 24));
          if (this.data.kind === 'ring') drawRing(ctx, hit.width, hit.height, chart as RingSeries, font);
          else drawLine(ctx, hit.width, hit.height, chart as LineSeries, font);
        });
    },
  },
});

function legendOf(chart: LineSeries | RingSeries): { name: string; color: string; value: string }[] {
  if (!chart || !Array.isArray(chart.series)) return [];
  return chart.series.map((s) => {
    const value = 'value' in s ? `${s.value}件` : `共${(s as { data: number[] }).data.reduce((a, b) => a + b, 0)}件`;
    return { name: s.name, color: s.color, value };
  });
}
