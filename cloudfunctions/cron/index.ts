/**
 * cron: the timer (every 5 minutes, config.json). Skips dispatched volunteers who did not accept in
 * time, escalates orders past their SLA (station → institute → center, then red), and closes
 * fulfilled orders nobody rated; then posts moral-integral records whose public notice has ended and
 * refunds pickups nobody collected; checks out volunteers still checked in at an activity's end; and
 * once a month has closed, keeps its roll-ups for the command center.
 * Platform calls only: a call with a caller identity is refused.
 * Each run spends at most MAX_OPS database operations (counted as it goes, runtime/meter.ts) and ~40 s,
 * shared by its jobs; the next run continues where it stopped, oldest first.
 */
import { defineTimer } from '../shared/runtime/handler';
import { RunBudget } from '../shared/runtime/meter';
import { loadSettings } from '../shared/order/store';
import { BUDGET_MS, MAX_OPS, ORDER_SHARE, runTimer, type TimerSummary } from '../shared/order/timer';
import { autoCheckOut, type CheckoutSummary } from '../shared/activity/timer';
import { figurePendingCheckins } from '../shared/activity/store';
import { runIntegralTimer, type IntegralTimerSummary } from '../shared/integral/timer';
import { keepClosedMonth } from '../shared/stats/timer';

/** A shorter budget may be given in the event (tests; a manual run from the console). */
function budgetOf(event: unknown): number {
  const b = (event as { budgetMs?: unknown } | null)?.budgetMs;
  return typeof b === 'number' && Number.isFinite(b) ? Math.min(Math.max(0, b), BUDGET_MS) : BUDGET_MS;
}

/** A smaller budget of database operations may be given the same way (never a larger one). */
function maxOpsOf(event: unknown): number {
  const m = (event as { maxOps?: unknown } | null)?.maxOps;
  return typeof m === 'number' && Number.isInteger(m) ? Math.min(Math.max(1, m), MAX_OPS) : MAX_OPS;
}

/** A cap on changed orders may be given too (tests; none unless given). */
function maxChangesOf(event: unknown): number | undefined {
  const m = (event as { maxChanges?: unknown } | null)?.maxChanges;
  return typeof m === 'number' && Number.isInteger(m) ? Math.max(1, m) : undefined;
}

export interface CronSummary extends TimerSummary {
  integral: IntegralTimerSummary;
  checkout: CheckoutSummary;
  /** Check-ins counted in the figures. */
  figured: number;
  /** The month whose roll-ups were kept this run (once a month), and for how many nodes they were computed. */
  rollups: { month: string; computed: number } | null;
  /** Database operations of the whole run (every job), and the budget it ran under. */
  run: { ops: number; maxOps: number };
}

export const main = defineTimer('cron', async (ctx, event): Promise<CronSummary> => {
  // One budget of database operations and time for the whole run, counted as it goes; each job takes
  // its share of what is left, so a backlog in one never starves the others, and leaves the rest for later.
  const run = new RunBudget(maxOpsOf(event), budgetOf(event));
  const settings = await loadSettings();
  const orders = await runTimer(settings, ctx.now, { budget: run.share(ORDER_SHARE), maxChanges: maxChangesOf(event) });
  const integral = await runIntegralTimer(ctx.now, { budget: run.share(0.4) });
  const checkout = await autoCheckOut(ctx.now, run.share(0.3));
  const figured = await figurePendingCheckins(run.share(1));
  const rollups = await keepClosedMonth(ctx.now, run.share(1));
  const summary: CronSummary = {
    ...orders,
    integral,
    checkout,
    figured,
    rollups,
    run: { ops: run.spent(), maxOps: run.maxOps },
  };
  console.log(`[cron] ${JSON.stringify(summary)}`);
  return summary;
});
