/**
 * The integral part of the timer: records whose public notice has ended go to the ledger, and
 * reservations nobody picked up are released and refunded. Batches of 100 within the run's budget;
 * each item is its own transaction, so a run stopped half-way is continued by the next.
 */
import { AppError } from '../runtime/errors';
import * as store from './store';
import * as shop from './store-shop';
import type { RunBudget } from '../runtime/meter';

/** What posting a record or releasing a reservation may cost before one has run: a transaction of the ledger. */
const UNIT_BOUND = 20;

/** A conflict that outlasts the retries: another run is working on it; it is left to them or the next run. */
async function unlessHeld(apply: () => Promise<boolean>): Promise<boolean> {
  try {
    return await apply();
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT') return false;
    throw e;
  }
}

export interface IntegralTimerSummary {
  posted: number;
  expired: number;
}

export async function runIntegralTimer(now: Date, opts: { budget: RunBudget }): Promise<IntegralTimerSummary> {
  const b = opts.budget;
  const summary: IntegralTimerSummary = { posted: 0, expired: 0 };
  const jobs: [
    keyof IntegralTimerSummary,
    (n: Date, l: number) => Promise<string[]>,
    (id: string, n: Date) => Promise<boolean>,
  ][] = [
    ['posted', store.dueNotices, store.postClaim],
    ['expired', shop.dueExpiries, shop.expireRedemption],
  ];
  for (const [key, due, apply] of jobs) {
    for (let round = 0; round < 20; round += 1) {
      const unit = b.reserve(key, UNIT_BOUND);
      if (!b.fits(key, 1 + unit)) return summary;
      // No more ids than the operations left can apply: the rest are the next run's.
      const asked = Math.max(1, Math.min(100, Math.floor((b.maxOps - b.spent() - 1) / unit)));
      const ids = await due(now, asked);
      for (const id of ids) {
        if (!b.fits(key, UNIT_BOUND)) return summary;
        if (await b.unit(key, () => unlessHeld(() => apply(id, now)))) summary[key] += 1;
      }
      if (ids.length < asked) break;
    }
  }
  return summary;
}
