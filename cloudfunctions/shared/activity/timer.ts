/**
 * The timer's part in check-in: once an activity is over (its end plus the grace for late scans),
 * everyone still checked in is checked out at the end, flagged for the station head, and the activity
 * is closed. Batches of 100; what a run leaves, the next one continues.
 */
import { autoCheckout } from './domain/decide';
import * as store from './store';

export interface CheckoutSummary {
  activitiesClosed: number;
  checkedOut: number;
}

export async function autoCheckOut(now: Date, budgetMs = 10_000): Promise<CheckoutSummary> {
  const started = Date.now();
  const summary: CheckoutSummary = { activitiesClosed: 0, checkedOut: 0 };
  const settings = await store.loadSettings(now.getTime());
  const endedBefore = new Date(now.getTime() - settings.graceMin * 60_000);
  for (const a of await store.activitiesToClose(endedBefore, 20)) {
    let left = false;
    for (const c of await store.checkinsOf({ activityId: a._id, state: 'in' }, 0, 100)) {
      if (Date.now() - started > budgetMs) return summary;
      if (await store.changeCheckin(c._id, { state: 'in' }, autoCheckout(a, c), null)) summary.checkedOut += 1;
    }
    left = (await store.count('checkins', { activityId: a._id, state: 'in' })) > 0;
    if (!left && (await store.closeActivity(a._id))) summary.activitiesClosed += 1;
  }
  return summary;
}
