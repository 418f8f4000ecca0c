/**
 * The command center's part of the timer: once a month has closed, its roll-ups are kept for every
 * node that keeps figures (store-rollups.ts), so the first league table, big screen or overview of the
 * month reads them kept instead of computing them while a person waits. One read a run otherwise.
 */
import type { RunBudget } from '../runtime/meter';
import { children, getRoot, stationsUnder } from '../org/store';
import { FIGURE_LEVELS } from './domain/summing';
import { isClosed, prevMonth } from './domain/rollups';
import { monthOf } from './domain/figures';
import { keepMonth, monthKept } from './store-rollups';

/**
 * What keeping a month may cost before one has run: the mark, the nodes (three reads), the tags and the
 * kept roll-ups, a month's figures for a county (a read a thousand documents), the roll-ups written
 * (one a hundred) and the mark; a year's after a rebuild.
 */
const KEEP_BOUND = 60;

/** The latest month closed at `now` (the month before, once its end is two hours past). */
export function lastClosedMonth(now: Date): string {
  const month = prevMonth(monthOf(now));
  return isClosed(month, now.getTime()) ? month : prevMonth(month);
}

export async function keepClosedMonth(now: Date, b: RunBudget): Promise<{ month: string; computed: number } | null> {
  const month = lastClosedMonth(now);
  if (!b.fits('rollups', 1)) return null;
  const { kept, generation } = await monthKept(month);
  if (kept || !b.fits('rollups', KEEP_BOUND)) return null;
  return b.unit('rollups', async () => {
    const root = await getRoot();
    if (!root) return { month, computed: 0 };
    const [institutes, stations] = await Promise.all([children(root._id, 0, 1000), stationsUnder(root._id)]);
    const nodes = [root, ...institutes, ...stations].filter((o) => FIGURE_LEVELS.includes(o.level));
    return { month, computed: await keepMonth(nodes, month, generation, now.getTime()) };
  });
}
