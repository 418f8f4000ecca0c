/**
 * The timer's part in check-in: once an activity is over (its end plus the grace for late scans),
 * everyone still checked in is checked out at the end, flagged for the station head, and the activity
 * is closed. Batches of 100; what a run leaves, the next one continues.
 */
import { autoCheckout } from './domain/decide';
import * as store from './store';
import type { RunBudget } from '../runtime/meter';

/** What checking one person out may cost: a transaction of the check-in (no hours: they wait for review). */
const CHECKOUT_BOUND = 6;

export interface CheckoutSummary {
  activitiesClosed: number;
  checkedOut: number;
}

export async function autoCheckOut(now: Date, b: RunBudget): Promise<CheckoutSummary> {
  const summary: CheckoutSummary = { activitiesClosed: 0, checkedOut: 0 };
  if (!b.fits('query', 2)) return summary;
  const settings = await store.loadSettings(now.getTime());
  const endedBefore = new Date(now.getTime() - settings.graceMin * 60_000);
  for (const a of await store.activitiesToClose(endedBefore, 20)) {
    if (!b.fits('query', 1)) return summary;
    for (const c of await store.checkinsOf({ activityId: a._id, state: 'in' }, 0, 100)) {
      if (!b.fits('checkout', CHECKOUT_BOUND)) return summary;
      if (await b.unit('checkout', () => store.changeCheckin(c._id, { state: 'in' }, autoCheckout(a, c), null)))
        summary.checkedOut += 1;
    }
    // Counting what is left and closing the activity: two operations.
    if (!b.fits('query', 2)) return summary;
    const left = (await store.count('checkins', { activityId: a._id, state: 'in' })) > 0;
    if (!left && (await store.closeActivity(a._id))) summary.activitiesClosed += 1;
  }
  return summary;
}
