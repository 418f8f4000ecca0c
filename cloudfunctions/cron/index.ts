/**
 * cron: the timer (every 5 minutes, config.json). Skips dispatched volunteers who did not accept in
 * time, escalates orders past their SLA (station → institute → center, then red), and closes
 * fulfilled orders nobody rated; then posts moral-integral records whose public notice has ended and
 * refunds pickups nobody collected; and checks out volunteers still checked in at an activity's end.
 * Platform calls only: a call with a caller identity is refused.
 * Each run works for at most ~40 s and 300 changed orders, in batches of 100 (escalations that move
 * the same way as one update); the next run continues where it stopped.
 */
import { defineTimer } from '../shared/runtime/handler';
import { loadSettings } from '../shared/order/store';
import { BUDGET_MS, MAX_CHANGES, runTimer, type TimerSummary } from '../shared/order/timer';
import { autoCheckOut } from '../shared/activity/timer';
import { figurePendingCheckins } from '../shared/activity/store';
import { runIntegralTimer, type IntegralTimerSummary } from '../shared/integral/timer';

/** A shorter budget may be given in the event (tests; a manual run from the console). */
function budgetOf(event: unknown): number {
  const b = (event as { budgetMs?: unknown } | null)?.budgetMs;
  return typeof b === 'number' && Number.isFinite(b) ? Math.min(Math.max(0, b), BUDGET_MS) : BUDGET_MS;
}

/** A smaller budget of changed orders may be given the same way (never a larger one). */
function maxChangesOf(event: unknown): number {
  const m = (event as { maxChanges?: unknown } | null)?.maxChanges;
  return typeof m === 'number' && Number.isInteger(m) ? Math.min(Math.max(1, m), MAX_CHANGES) : MAX_CHANGES;
}

export const main = defineTimer(
  'cron',
  async (ctx, event): Promise<TimerSummary & { integral: IntegralTimerSummary }> => {
    const settings = await loadSettings();
    const budgetMs = budgetOf(event);
    const summary = {
      ...(await runTimer(settings, ctx.now, { budgetMs, maxChanges: maxChangesOf(event) })),
      integral: await runIntegralTimer(ctx.now, { budgetMs: budgetMs / 4 }),
    };
    console.log(`[cron] ${JSON.stringify(summary)}`);
    console.log(`[cron] check-in ${JSON.stringify(await autoCheckOut(ctx.now))}`);
    console.log(`[cron] check-ins counted in the figures: ${await figurePendingCheckins()}`);
    return summary;
  },
);
