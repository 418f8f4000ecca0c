/** Samples to figures: median and 95th percentile, and how they are printed. */

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted values (p in 0..1). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** 1234.5 → "1,235"; 12.34 → "12.3"; 0.123 → "0.12". */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  if (abs >= 100) return Math.round(x).toLocaleString('en-US');
  if (abs >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function ms(x: number): string {
  return Number.isFinite(x) ? `${num(x)} ms` : '–';
}
