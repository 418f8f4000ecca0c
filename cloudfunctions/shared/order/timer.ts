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
import { tell, tellMany, type Holders } from './tell';
import { holders } from '../user/store';

/** Orders read per query: the cloud-function read limit. */
export const BATCH = 100;
/** No new batch is started after this long: the trigger's timeout is 60 s, the next run continues. */
export const BUDGET_MS = 40_000;
/**
 * No new batch is started once this many orders were changed in the run. With about 1.5 database
 * operations per changed order (bench), 300 changes are some 450 operations: 15 s of the base tier's
 * 30 a second, leaving the rest of the quota to the people using the mini-program. A backlog of N due
 * orders drains in ceil(N / 300) runs, oldest deadline first in each sweep.
 */
export const MAX_CHANGES = 300;

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
async function settle(
  o: OrderDoc,
  change: Change | null,
  settings: OrderSettings,
  now: Date,
  holdersOf?: Holders,
): Promise<boolean> {
  if (!change || !(await won(o, change))) return false;
  const after = applied(o, change);
  await followUp(`tell ${change.event.type}`, o, () => tell(after, now, holdersOf));
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
  /** Stop taking new batches once this many orders were changed (MAX_CHANGES unless given). */
  maxChanges?: number;
  batch?: number;
  /** Elapsed-time source (wall clock); the decisions use `now`, the run's start on the platform clock. */
  elapsed?: () => number;
}

/**
 * One timer run: batches of the three sweeps in turn until each is done or a budget is spent — time
 * (budgetMs) or orders changed (maxChanges); the rest is left for the next run, oldest deadline first.
 * An order is looked at once per run; one whose update lost (someone else moved it) is not retried
 * here. Escalations that move the same way (same status and level to the same node, the same event)
 * are applied as one update for the group, and its people told once of all of them (tellMany); the
 * people told are looked up once per node and run.
 */
export async function runTimer(settings: OrderSettings, now: Date, opts: RunOptions = {}): Promise<TimerSummary> {
  const started = Date.now();
  const elapsed = opts.elapsed ?? (() => Date.now() - started);
  const budget = opts.budgetMs ?? BUDGET_MS;
  const maxChanges = opts.maxChanges ?? MAX_CHANGES;
  const batch = Math.min(Math.max(1, opts.batch ?? BATCH), BATCH);
  const summary: TimerSummary = { skipped: 0, escalated: 0, overdue: 0, autoClosed: 0, ms: 0, more: false };
  const changed = () => summary.skipped + summary.escalated + summary.overdue + summary.autoClosed;
  const seen = new Set<string>();
  const pending = new Set<store.Sweep>(['skip', 'escalate', 'autoClose']);
  const names = new Map<string, Promise<string | null>>();
  const cachedName: OrgName = (id) => {
    if (!names.has(id)) names.set(id, orgName(id));
    return names.get(id)!;
  };
  /** Set when the time budget ran out inside a batch: the rest of it is left for the next run. */
  let cut = false;
  const people = new Map<string, Promise<string[]>>();
  const cachedHolders: Holders = (role, orgId) => {
    const key = `${role}@${orgId}`;
    if (!people.has(key)) people.set(key, holders(role, orgId));
    return people.get(key)!;
  };

  const one = async (name: 'skip' | 'autoClose', o: OrderDoc) => {
    if (name === 'skip') {
      if (await settle(o, skipping(o, settings, now), settings, now, cachedHolders)) summary.skipped += 1;
    } else if (await settle(o, closing(o, settings, now), settings, now, cachedHolders)) summary.autoClosed += 1;
  };

  /** A batch of escalations: decided each, applied by group, then each winner's people told. */
  const escalateAll = async (due: OrderDoc[]) => {
    const owners = new Map<string, string | null>();
    await Promise.all(
      [
        ...new Set(
          due.map((o) => escalation(o, settings, now)).flatMap((n) => (n && !n.overdue ? [n.ownerOrgId] : [])),
        ),
      ].map(async (id) => owners.set(id, await cachedName(id))),
    );
    const groups = new Map<string, { change: Change; orders: OrderDoc[] }>();
    for (const o of due) {
      const change = escalating(o, settings, now, (id) => owners.get(id) ?? null);
      if (!change) continue;
      const key = JSON.stringify([o.status, o.level, change.set, change.event]);
      const g = groups.get(key) ?? { change, orders: [] };
      g.orders.push(o);
      groups.set(key, g);
    }
    for (const { change, orders } of groups.values()) {
      if (elapsed() >= budget) return void (cut = true);
      const won =
        orders.length === 1
          ? new Set((await store.apply(orders[0]._id, change)) ? [orders[0]._id] : [])
          : await store.applyMany(
              orders.map((o) => o._id),
              // What each decision read, for the whole group: the deadline as "passed", since each
              // order's own dueAt differs; a run that moved one first changed its level or flag.
              { status: orders[0].status, level: orders[0].level, overdue: false, dueAt: store.dueBy(now) },
              change,
            );
      const winners = orders.filter((o) => won.has(o._id));
      if (winners.length === 0) continue;
      // One order went through apply, whose transaction raised its figures; a group raises them now.
      if (orders.length > 1) await store.raiseFiguresOfMany(winners, change.event);
      const moved = winners.map((o) => applied(o, change));
      summary[change.set.overdue ? 'overdue' : 'escalated'] += moved.length;
      // The group's people are told once, of all its orders (they share the node, so the people).
      await followUp(`tell ${change.event.type} ×${moved.length}`, moved[0], () => tellMany(moved, now, cachedHolders));
    }
  };

  // Round robin, one batch per sweep per turn, so a backlog in one does not starve the others.
  while (pending.size > 0) {
    for (const name of [...pending]) {
      if (elapsed() >= budget || changed() >= maxChanges) {
        summary.more = true;
        summary.ms = elapsed();
        return summary;
      }
      // Never more than the changes left in the budget: what is read is what this run may change.
      const asked = Math.min(batch, Math.max(1, maxChanges - changed()));
      const found = await store.dueFor(name, now, asked);
      const fresh = found.filter((o) => !seen.has(`${name}:${o._id}`));
      for (const o of fresh) seen.add(`${name}:${o._id}`);
      if (name === 'escalate') await escalateAll(fresh);
      else
        for (const o of fresh) {
          // The time budget holds inside a batch too (a slow database): the rest waits for the next run.
          if (elapsed() >= budget) {
            cut = true;
            break;
          }
          await one(name, o);
        }
      if (cut) {
        summary.more = true;
        summary.ms = elapsed();
        return summary;
      }
      // Done when the index has no more, or when all it still answers was looked at in this run.
      if (found.length < asked || fresh.length === 0) {
        pending.delete(name);
        if (found.length === asked && fresh.length === 0) summary.more = true;
      }
    }
  }
  summary.ms = elapsed();
  return summary;
}
