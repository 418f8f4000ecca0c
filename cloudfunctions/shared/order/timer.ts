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
import { applied, type Change } from './domain/decide';
import { autoClose as closing, escalate as escalating, skip as skipping } from './domain/system';
import { escalation } from './domain/machine';
import type { OrderDoc } from './domain/model';
import * as store from './store';
import { tell, tellMany, type Holders } from './tell';
import { holders } from '../user/store';
import { RunBudget } from '../runtime/meter';

/** Orders read per query: the cloud-function read limit. */
export const BATCH = 100;
/** No new work is started after this long: the trigger's timeout is 60 s, the next run continues. */
export const BUDGET_MS = 40_000;
/**
 * Database operations a whole run may make (every job of the timer: the order sweeps, the integral
 * records, the check-outs, the check-in figures), counted as it goes (runtime/meter.ts). The base tier
 * meters 30 a second for the whole environment (PLATFORM.md): 900 are 30 s of it in each 5-minute
 * period, leaving the rest of the quota to the people using the mini-program. What a run leaves is
 * the next run's, oldest first.
 */
export const MAX_OPS = 900;
/** The order sweeps' share of a run's operations; the other jobs share what it leaves. */
export const ORDER_SHARE = 0.7;
/**
 * What one unit may cost before one of its kind has run in this run (then the most one cost is used):
 * an order skipped or closed (its transaction with the volunteer's counters and the figures, the people
 * told, an automatic dispatch), and a group of escalations (one update, the figures, the people told).
 */
export const UNIT_BOUND = { skip: 30, autoClose: 30, escalate: 40, query: 1 } as const;

export interface TimerSummary {
  skipped: number;
  escalated: number;
  overdue: number;
  autoClosed: number;
  ms: number;
  /** True when the run stopped with work possibly left: the next run continues it. */
  more: boolean;
  /** Database operations the sweeps made. */
  ops: number;
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
  /** The operations and time this run's sweeps may spend (MAX_OPS × ORDER_SHARE and BUDGET_MS unless given). */
  budget?: RunBudget;
  /** Stop taking new work once this many orders were changed (no limit unless given: a test's or a console run's). */
  maxChanges?: number;
  batch?: number;
}

/**
 * One timer run: batches of the three sweeps in turn until each is done or the budget is spent — its
 * database operations, counted as the run goes, or its time; the rest is left for the next run, oldest
 * deadline first. A unit of work (an order skipped or closed, a group of escalations, a query) is only
 * started while what it may cost still fits (RunBudget.fits), and a query asks for no more orders than
 * the operations left can change. An order is looked at once per run; one whose update lost (someone
 * else moved it) is not retried here. Escalations that move the same way (same status and level to
 * the same node, the same event) are applied as one update for the group, and its people told once of
 * all of them (tellMany); the people told are looked up once per node and run.
 */
export async function runTimer(settings: OrderSettings, now: Date, opts: RunOptions = {}): Promise<TimerSummary> {
  const b = opts.budget ?? new RunBudget(Math.floor(MAX_OPS * ORDER_SHARE), BUDGET_MS);
  const maxChanges = opts.maxChanges ?? Infinity;
  const batch = Math.min(Math.max(1, opts.batch ?? BATCH), BATCH);
  const summary: TimerSummary = { skipped: 0, escalated: 0, overdue: 0, autoClosed: 0, ms: 0, more: false, ops: 0 };
  const changed = () => summary.skipped + summary.escalated + summary.overdue + summary.autoClosed;
  const done = () => ({ ...summary, ms: b.elapsed(), ops: b.spent() });
  const seen = new Set<string>();
  const pending = new Set<store.Sweep>(['skip', 'escalate', 'autoClose']);
  const names = new Map<string, Promise<string | null>>();
  const cachedName: OrgName = (id) => {
    if (!names.has(id)) names.set(id, orgName(id));
    return names.get(id)!;
  };
  /** Set when the budget ran out inside a batch: the rest of it is left for the next run. */
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
      if (!b.fits('escalate', UNIT_BOUND.escalate)) return void (cut = true);
      await b.unit('escalate', () => escalateGroup(change, orders));
    }
  };

  /** A group of escalations that move the same way: one update, the figures, the people told once. */
  const escalateGroup = async (change: Change, orders: OrderDoc[]) => {
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
    if (winners.length === 0) return;
    // One order went through apply, whose transaction raised its figures; a group raises them now.
    if (orders.length > 1) await store.raiseFiguresOfMany(winners, change.event);
    const moved = winners.map((o) => applied(o, change));
    summary[change.set.overdue ? 'overdue' : 'escalated'] += moved.length;
    // The group's people are told once, of all its orders (they share the node, so the people).
    await followUp(`tell ${change.event.type} ×${moved.length}`, moved[0], () => tellMany(moved, now, cachedHolders));
  };

  // Round robin, one batch per sweep per turn, so a backlog in one does not starve the others.
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const unit = b.reserve(name, UNIT_BOUND[name]);
      if (!b.fits(name, UNIT_BOUND.query + unit) || changed() >= maxChanges) {
        summary.more = true;
        return done();
      }
      // Never more than the operations left can change: what is read is what this run may change.
      const affordable = Math.floor((b.maxOps - b.spent() - UNIT_BOUND.query) / unit);
      const asked = Math.max(1, Math.min(batch, maxChanges - changed(), name === 'escalate' ? batch : affordable));
      const found = await store.dueFor(name, now, asked);
      const fresh = found.filter((o) => !seen.has(`${name}:${o._id}`));
      for (const o of fresh) seen.add(`${name}:${o._id}`);
      if (name === 'escalate') await escalateAll(fresh);
      else
        for (const o of fresh) {
          // The budget holds inside a batch too (a slow database, a dearer order): the rest waits for the next run.
          if (!b.fits(name, UNIT_BOUND[name])) {
            cut = true;
            break;
          }
          await b.unit(name, () => one(name, o));
        }
      if (cut) {
        summary.more = true;
        return done();
      }
      // Done when the index has no more, or when all it still answers was looked at in this run.
      if (found.length < asked || fresh.length === 0) {
        pending.delete(name);
        if (found.length === asked && fresh.length === 0) summary.more = true;
      }
    }
  }
  return done();
}
