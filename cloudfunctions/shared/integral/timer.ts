/**
 * The integral part of the timer: records whose public notice has ended go to the ledger, and
 * reservations nobody picked up are released and refunded. Batches of 100 within the run's budget;
 * each item is its own transaction, so a run stopped half-way is continued by the next.
 */
import { AppError } from '../runtime/errors';
import * as store from './store';

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

export async function runIntegralTimer(now: Date, opts: { budgetMs: number }): Promise<IntegralTimerSummary> {
  const until = Date.now() + opts.budgetMs;
  const summary: IntegralTimerSummary = { posted: 0, expired: 0 };
  const jobs: [
    keyof IntegralTimerSummary,
    (n: Date, l: number) => Promise<string[]>,
    (id: string, n: Date) => Promise<boolean>,
  ][] = [
    ['posted', store.dueNotices, store.postClaim],
    ['expired', store.dueExpiries, store.expireRedemption],
  ];
  for (const [key, due, apply] of jobs) {
    for (let round = 0; round < 20 && Date.now() < until; round += 1) {
      const ids = await due(now, 100);
      for (const id of ids) {
        if (Date.now() >= until) break;
        if (await unlessHeld(() => apply(id, now))) summary[key] += 1;
      }
      if (ids.length < 100) break;
    }
  }
  return summary;
}
