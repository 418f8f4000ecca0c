/**
 * What the timer does to orders whose deadline has passed, and the run that finds them.
 *   skip       dispatched, not accepted by acceptBy → back to open, the volunteer passed over (and
 *              automatic dispatch to the next candidate where the station has it on)
 *   escalate   active and past dueAt → one level up with a new deadline, or, at the center, red
 *   autoClose  fulfilled, not rated by rateBy → closed with the automatic rating
 * Each change is decided by domain/decide.ts and applied by store.apply on the condition of everything
 * the decision read —
 * the status and the deadline, and the level or the assignee — so a second run, a concurrent run or a
 * retried run finds nothing left to do for that order and changes it once. A volunteer's counters
 * change in the same transaction; follow-ups (messages, automatic dispatch) run only for the winner.
 */
import type { OrderSettings } from '../../../typings/order';
import { AppError } from '../runtime/errors';
import { getOrg } from '../org/store';
import { autoDispatch } from './dispatch';
import { applied, autoClose as closing, escalate as escalating, skip as skipping, type Change } from './domain/decide';
import { escalation } from './domain/machine';
import type { OrderDoc } from './domain/model';
import * as store from './store';
import { tell } from './tell';

/** Orders read per query: the cloud-function read limit. */
export const BATCH = 100;
/** No new batch is started after this long: the trigger's timeout is 60 s, the next run continues. */
export const BUDGET_MS = 40_000;

export interface TimerSummary {
  skipped: number;
  escalated: number;
  overdue: number;
  autoClosed: number;
  ms: number;
  /** True when the run stopped with work possibly left: the next run continues it. */
  more: boolean;
}

/** Runs a follow-up of a transition that has won: logged, never undoing or failing the run. */
async function followUp(what: string, o: OrderDoc, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    console.error(`[timer] ${what} for order ${o._id} failed`, e);
  }
}

/**
 * Applies the change. A write conflict that outlasts the retries means another run (or an order action)
 * is working on this order or its volunteer right now: this run leaves it to them, or to the next run
 * if it is still due then — a run never fails because another is working.
 */
async function won(o: OrderDoc, change: Change): Promise<boolean> {
  try {
    return await store.apply(o._id, change);
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT') {
      console.warn(`[timer] order ${o._id} is being changed by someone else: left to them or the next run`);
      return false;
    }
    throw e;
  }
}

/** Applies the decided change; when it won, tells people and offers the order on where it says so. */
async function settle(o: OrderDoc, change: Change | null, settings: OrderSettings, now: Date): Promise<boolean> {
  if (!change || !(await won(o, change))) return false;
  const after = applied(o, change);
  await followUp(`tell ${change.event.type}`, o, () => tell(after, now));
  if (change.offerOn) await followUp('auto dispatch', o, () => autoDispatch(after, settings, now));
  return true;
}

/** A dispatched volunteer did not accept in time (domain/decide.ts skip). */
export const skip = (o: OrderDoc, settings: OrderSettings, now: Date): Promise<boolean> =>
  settle(o, skipping(o, settings, now), settings, now);

/** The name of a node, for the timeline; the run passes a cached one (17 institutes, 1 center). */
export type OrgName = (id: string) => Promise<string | null>;
const orgName: OrgName = async (id) => (await getOrg(id))?.name ?? null;

/** An active order past its deadline: one level up, or red at the center (domain/decide.ts escalate). */
export async function escalate(
  o: OrderDoc,
  settings: OrderSettings,
  now: Date,
  nameOf: OrgName = orgName,
): Promise<'escalated' | 'overdue' | null> {
  const next = escalation(o, settings, now);
  const owner = next && !next.overdue ? await nameOf(next.ownerOrgId) : null;
  const change = escalating(o, settings, now, () => owner);
  if (!(await settle(o, change, settings, now))) return null;
  return change!.set.overdue ? 'overdue' : 'escalated';
}

/** A fulfilled order nobody rated in time (domain/decide.ts autoClose). */
export const autoClose = (o: OrderDoc, settings: OrderSettings, now: Date): Promise<boolean> =>
  settle(o, closing(o, settings, now), settings, now);

// ── the run ──────────────────────────────────────────────────────────────────────────────────

export interface RunOptions {
  /** Stop taking new batches after this many ms of the run (BUDGET_MS unless given). */
  budgetMs?: number;
  batch?: number;
  /** Elapsed-time source (wall clock); the decisions use `now`, the run's start on the platform clock. */
  elapsed?: () => number;
}

/**
 * One timer run: batches of the three sweeps in turn until each is done or the budget is spent. An
 * order is looked at once per run; one whose update lost (someone else moved it) is not retried here.
 */
export async function runTimer(settings: OrderSettings, now: Date, opts: RunOptions = {}): Promise<TimerSummary> {
  const started = Date.now();
  const elapsed = opts.elapsed ?? (() => Date.now() - started);
  const budget = opts.budgetMs ?? BUDGET_MS;
  const batch = Math.min(Math.max(1, opts.batch ?? BATCH), BATCH);
  const summary: TimerSummary = { skipped: 0, escalated: 0, overdue: 0, autoClosed: 0, ms: 0, more: false };
  const seen = new Set<string>();
  const pending = new Set<store.Sweep>(['skip', 'escalate', 'autoClose']);
  const names = new Map<string, Promise<string | null>>();
  const cachedName: OrgName = (id) => {
    if (!names.has(id)) names.set(id, orgName(id));
    return names.get(id)!;
  };

  const one = async (name: store.Sweep, o: OrderDoc) => {
    switch (name) {
      case 'skip':
        if (await skip(o, settings, now)) summary.skipped += 1;
        return;
      case 'escalate': {
        const r = await escalate(o, settings, now, cachedName);
        if (r) summary[r] += 1;
        return;
      }
      case 'autoClose':
        if (await autoClose(o, settings, now)) summary.autoClosed += 1;
        return;
    }
  };

  // Round robin, one batch per sweep per turn, so a backlog in one does not starve the others.
  while (pending.size > 0) {
    for (const name of [...pending]) {
      if (elapsed() >= budget) {
        summary.more = true;
        summary.ms = elapsed();
        return summary;
      }
      const found = await store.dueFor(name, now, batch);
      const fresh = found.filter((o) => !seen.has(`${name}:${o._id}`));
      for (const o of fresh) {
        seen.add(`${name}:${o._id}`);
        await one(name, o);
      }
      // Done when the index has no more, or when all it still answers was looked at in this run.
      if (found.length < batch || fresh.length === 0) {
        pending.delete(name);
        if (found.length === batch && fresh.length === 0) summary.more = true;
      }
    }
  }
  summary.ms = elapsed();
  return summary;
}
