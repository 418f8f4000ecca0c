/**
 * What the timer does to orders whose deadline has passed, and the run that finds them.
 *   skip       dispatched, not accepted by acceptBy → back to open, the volunteer passed over (and
 *              automatic dispatch to the next candidate where the station has it on)
 *   escalate   active and past dueAt → one level up with a new deadline, or, at the center, red
 *   autoClose  fulfilled, not rated by rateBy → closed with the automatic rating
 * Each change is one transition (store.transition) whose condition is everything the decision read —
 * the status and the deadline, and the level or the assignee — so a second run, a concurrent run or a
 * retried run finds nothing left to do for that order and changes it once. A volunteer's counters
 * change in the same transaction; follow-ups (messages, automatic dispatch) run only for the winner.
 */
import { LEVEL_LABELS } from '../../../typings/domain';
import type { OrderSettings, OrderStatus } from '../../../typings/order';
import { database, listOf } from '../runtime/sdk';
import { getOrg } from '../org/store';
import { autoDispatch } from './dispatch';
import { escalation } from './domain/machine';
import type { EventDoc, OrderDoc } from './domain/model';
import * as store from './store';
import { tell } from './tell';

/** Orders read per query: the cloud-function read limit. */
export const BATCH = 100;
/** No new batch is started after this long: the trigger's timeout is 60 s, the next run continues. */
export const BUDGET_MS = 40_000;

export const ACTIVE: readonly OrderStatus[] = ['submitted', 'open', 'dispatched', 'accepted'];

export interface TimerSummary {
  skipped: number;
  escalated: number;
  overdue: number;
  autoClosed: number;
  ms: number;
  /** True when the run stopped with work possibly left: the next run continues it. */
  more: boolean;
}

const SYSTEM = { by: 'system', byName: '系统' } as const;
const DAY_MS = 86_400_000;

const orders = () => database().collection('orders');
const _ = () => database().command;
const at = (d: Date | string) => new Date(d);

function systemEvent(o: OrderDoc, to: OrderStatus, type: string, now: Date, note: string): EventDoc {
  return { from: o.status, to, type, ...SYSTEM, at: now, note };
}

/** The order as it is after the transition won (what flow.ts hands to tell). */
const applied = (o: OrderDoc, set: Partial<OrderDoc>, event: EventDoc): OrderDoc => ({
  ...o,
  ...set,
  events: [...o.events, event],
  updatedAt: event.at,
});

/** Runs a follow-up of a transition that has won: logged, never undoing or failing the run. */
async function followUp(what: string, o: OrderDoc, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    console.error(`[timer] ${what} for order ${o._id} failed`, e);
  }
}

// ── the three decisions ──────────────────────────────────────────────────────────────────────

/** A dispatched volunteer did not accept in time: back to open, passed over, their load given back. */
export async function skip(o: OrderDoc, settings: OrderSettings, now: Date): Promise<boolean> {
  if (o.status !== 'dispatched' || !o.acceptBy || at(o.acceptBy).getTime() > now.getTime() || !o.assignee) {
    return false;
  }
  const volunteer = o.assignee;
  const set: Partial<OrderDoc> = {
    status: 'open',
    assignee: null,
    acceptBy: null,
    passedOver: o.passedOver.includes(volunteer.openid) ? o.passedOver : [...o.passedOver, volunteer.openid],
    // dueAt is kept: the take stage (open or dispatched → accepted) goes on, so a chain of lapsed
    // dispatches still escalates when the stage's SLA runs out.
  };
  const event = systemEvent(o, 'open', 'skipped', now, `${volunteer.name}超过${settings.acceptHours}小时没有确认接单`);
  const won = await store.transition(
    o._id,
    { status: 'dispatched', acceptBy: at(o.acceptBy), 'assignee.openid': volunteer.openid },
    set,
    event,
    [{ openid: volunteer.openid, inc: { load: -1 } }],
  );
  if (!won) return false;
  const after = applied(o, set, event);
  await followUp('tell skipped', o, () => tell(after, 'skipped', now));
  await followUp('auto dispatch', o, () => autoDispatch(after, settings, now));
  return true;
}

/** The name of a node, for the timeline; the run passes a cached one (17 institutes, 1 center). */
export type OrgName = (id: string) => Promise<string | null>;
const orgName: OrgName = async (id) => (await getOrg(id))?.name ?? null;

/** An active order past its deadline: one level up (with a new deadline there), or red at the center. */
export async function escalate(
  o: OrderDoc,
  settings: OrderSettings,
  now: Date,
  nameOf: OrgName = orgName,
): Promise<'escalated' | 'overdue' | null> {
  if (!ACTIVE.includes(o.status) || !o.dueAt) return null;
  const next = escalation(o, settings, now);
  if (!next) return null;
  const condition = { status: o.status, level: o.level, dueAt: at(o.dueAt), overdue: false };
  if (next.overdue) {
    const set: Partial<OrderDoc> = { overdue: true };
    const event = systemEvent(o, o.status, 'overdue', now, `在${LEVEL_LABELS.center}仍然超时未办，已标红`);
    if (!(await store.transition(o._id, condition, set, event))) return null;
    await followUp('tell overdue', o, () => tell(applied(o, set, event), 'overdue', now));
    return 'overdue';
  }
  const owner = await nameOf(next.ownerOrgId);
  const set: Partial<OrderDoc> = { level: next.level, ownerOrgId: next.ownerOrgId, dueAt: next.dueAt };
  const event = systemEvent(
    o,
    o.status,
    'escalated',
    now,
    `超时未办，已上报到${LEVEL_LABELS[next.level]}${owner ? `（${owner}）` : ''}`,
  );
  if (!(await store.transition(o._id, condition, set, event))) return null;
  await followUp('tell escalated', o, () => tell(applied(o, set, event), 'escalated', now));
  return 'escalated';
}

/** A fulfilled order nobody rated in time: closed with the automatic rating, counted for the volunteer. */
export async function autoClose(o: OrderDoc, settings: OrderSettings, now: Date): Promise<boolean> {
  if (o.status !== 'fulfilled' || !o.rateBy || at(o.rateBy).getTime() > now.getTime()) return false;
  const stars = settings.autoCloseStars;
  const set: Partial<OrderDoc> = {
    status: 'closed',
    rating: { stars, comment: null, auto: true, at: now },
    rateBy: null,
  };
  const days = o.fulfilledAt
    ? Math.max(1, Math.round((at(o.rateBy).getTime() - at(o.fulfilledAt).getTime()) / DAY_MS))
    : settings.autoCloseDays;
  const event = systemEvent(o, 'closed', 'autoClosed', now, `${days}天没有评价，按规定自动完成（${stars}星）`);
  const counters = o.assignee ? [{ openid: o.assignee.openid, inc: { ratingSum: stars, ratingCount: 1 } }] : [];
  if (!(await store.transition(o._id, { status: 'fulfilled', rateBy: at(o.rateBy) }, set, event, counters)))
    return false;
  await followUp('tell autoClosed', o, () => tell(applied(o, set, event), 'autoClosed', now));
  return true;
}

// ── the run ──────────────────────────────────────────────────────────────────────────────────

/** The next batch each sweep works on, read through its index, oldest deadline first. */
export const QUERIES = {
  /** status_accept_by */
  skip: (now: Date) =>
    orders()
      .where({ status: 'dispatched', acceptBy: _().lte(now) })
      .orderBy('acceptBy', 'asc'),
  /** status_overdue_due: red orders are skipped by the index, not read and passed over */
  escalate: (now: Date) =>
    orders()
      .where({ status: _().in([...ACTIVE]), dueAt: _().lte(now), overdue: false })
      .orderBy('dueAt', 'asc'),
  /** status_rate_by */
  autoClose: (now: Date) =>
    orders()
      .where({ status: 'fulfilled', rateBy: _().lte(now) })
      .orderBy('rateBy', 'asc'),
};

type SweepName = keyof typeof QUERIES;

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
  const pending = new Set<SweepName>(['skip', 'escalate', 'autoClose']);
  const names = new Map<string, Promise<string | null>>();
  const cachedName: OrgName = (id) => {
    if (!names.has(id)) names.set(id, orgName(id));
    return names.get(id)!;
  };

  const one = async (name: SweepName, o: OrderDoc) => {
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
      const found = await listOf<OrderDoc>(QUERIES[name](now).limit(batch));
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
