/** What the sections share: repeated measured calls, and the first (cold) call of a function. */
import type { BenchCloud, CallCost } from '../cloud';

/** Measures `n` calls, `call(i)` for i = 0…n-1, one at a time. */
export async function sample(bench: BenchCloud, n: number, call: (i: number) => Promise<unknown>): Promise<CallCost[]> {
  const costs: CallCost[] = [];
  for (let i = 0; i < n; i++) costs.push(await bench.measure(() => call(i)));
  return costs;
}

export const fmt = (n: number) => n.toLocaleString('en-US');

/** Seconds, for setup lines. */
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
