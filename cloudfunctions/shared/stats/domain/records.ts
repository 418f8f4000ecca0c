/**
 * What each kind of record adds to the figures, and the whole recompute: every figure document rebuilt
 * from the raw records (orders and their timelines, check-ins, hours, activities, ledger entries,
 * volunteers). The stores raise the same deltas as each record is written; `recompute` is what the
 * check (`npm run stats:check`) compares the kept documents with, and what its rebuild writes. Pure.
 */
import {
  activeMarkId,
  dayOf,
  K,
  monthDelta,
  monthOf,
  type Active,
  type Delta,
  type EventFacts,
  type FigureDoc,
  type OrderFacts,
  type Raise,
} from './figures';
import { FIGURE_LEVELS } from './summing';
import { orderRaises } from './orders';

/** Figures are kept down to the station: a point's path (center … point) counts at its station. */
export const stationPath = (path: readonly string[]): string[] => path.slice(0, FIGURE_LEVELS.length);

// ── one record each ───────────────────────────────────────────────────────────────────────────

export interface CheckinFacts {
  openid: string;
  inAt: Date | string;
}

/** A check-in (counted the day the person checked in) and the person seen active there. */
export function checkinRaises(
  c: CheckinFacts,
  activityPath: readonly string[],
): { raises: Raise[]; actives: Active[] } {
  const path = stationPath(activityPath);
  return {
    raises: [{ path, at: c.inAt, delta: { [K.checkins]: 1 } }],
    actives: [{ openid: c.openid, path, at: c.inAt }],
  };
}

export interface HoursFacts {
  kind: 'recorded' | 'honour';
  minutes: number;
  path: readonly string[];
  at: Date | string;
}

/** Service hours, recorded and honour apart, on the day the service was done. */
export const hoursRaise = (h: HoursFacts): Raise => ({
  path: stationPath(h.path),
  at: h.at,
  delta: { [h.kind === 'honour' ? K.honourMinutes : K.recordedMinutes]: h.minutes },
});

export interface ActivityFacts {
  path: readonly string[];
  endAt: Date | string;
}

/** An activity held (closed by the timer after its end, not cancelled): counted on the day it ended. */
export const heldRaise = (a: ActivityFacts): Raise => ({
  path: stationPath(a.path),
  at: a.endAt,
  delta: { [K.held]: 1 },
});

export interface EntryFacts {
  cause: string;
  points: number;
  path: readonly string[];
  at: Date | string;
}

/**
 * A ledger entry: points issued (earned) and deducted by conduct, redeemed in the supermarket (a refund
 * gives a redemption back); a reversal takes back what the entry it reverses counted.
 */
export function entryDelta(e: Pick<EntryFacts, 'cause' | 'points'>): Delta {
  const p = e.points;
  if (e.cause === 'redemption') return { [K.redeemed]: -p };
  if (e.cause === 'refund') return { [K.redeemed]: -p };
  if (e.cause === 'reversal') return p < 0 ? { [K.issued]: p } : { [K.deducted]: -p };
  return p >= 0 ? { [K.issued]: p } : { [K.deducted]: -p };
}

export const entryRaise = (e: EntryFacts): Raise => ({ path: stationPath(e.path), at: e.at, delta: entryDelta(e) });

/** A volunteer approved at their first station, on the day of approval. */
export const registeredRaise = (stationPath_: readonly string[], at: Date | string): Raise => ({
  path: stationPath(stationPath_),
  at,
  delta: { [K.registered]: 1 },
});

// ── the whole recompute ───────────────────────────────────────────────────────────────────────

/**
 * Figure documents built in memory, with the same documents, merging and active markers as the live
 * writes (writesOf, raiseFigures); counters kept in maps, as the recompute raises millions of deltas.
 */
export class FigureBook {
  readonly marks = new Set<string>();
  private readonly entries = new Map<string, { base: FigureDoc; c: Map<string, number> }>();

  private entry(orgId: string, parent: string | null, month: string) {
    const id = `${orgId}:${month}`;
    let e = this.entries.get(id);
    if (!e) {
      const nodes = parent ? [orgId, parent] : [orgId];
      e = { base: { _id: id, orgId, nodes, grain: 'month', period: month, month }, c: new Map() };
      this.entries.set(id, e);
    }
    return e;
  }

  private raiseOne(r: Raise): void {
    const day = dayOf(r.at);
    const delta = Object.entries(monthDelta(day, r.delta));
    if (delta.length === 0) return;
    const month = day.slice(0, 7);
    for (let i = 0; i < r.path.length; i += 1) {
      const orgId = r.path[i];
      if (r.only !== undefined && r.only !== orgId) continue;
      const e = this.entry(orgId, i > 0 ? r.path[i - 1] : null, month);
      for (const [k, v] of delta) e.c.set(k, (e.c.get(k) ?? 0) + v);
    }
  }

  raise(raises: readonly Raise[], actives: readonly Active[] = []): void {
    for (const r of raises) this.raiseOne(r);
    for (const a of actives) {
      const month = monthOf(a.at);
      for (const orgId of a.path) {
        const id = activeMarkId(a.openid, orgId, month);
        if (this.marks.has(id)) continue;
        this.marks.add(id);
        this.raiseOne({ path: a.path, only: orgId, at: a.at, delta: { [K.active]: 1 } });
      }
    }
  }

  /** The documents, counters that came to zero left out (as a kept document leaves them at 0). */
  get docs(): Map<string, FigureDoc> {
    const out = new Map<string, FigureDoc>();
    for (const [id, e] of this.entries) {
      const doc: FigureDoc = { ...e.base };
      let any = false;
      for (const [k, v] of e.c) {
        if (v === 0) continue;
        doc[k] = v;
        any = true;
      }
      if (any) out.set(id, doc);
    }
    return out;
  }
}

export interface OrderRecord extends OrderFacts {
  path: readonly string[];
  events: readonly EventFacts[];
}

export interface Records {
  orders: Iterable<OrderRecord>;
  /** Check-ins with the path of their activity. */
  checkins: Iterable<CheckinFacts & { path: readonly string[] }>;
  hours: Iterable<HoursFacts>;
  /** Activities the timer has closed and that were not cancelled. */
  activities: Iterable<ActivityFacts>;
  entries: Iterable<EntryFacts>;
  /** Approved volunteers: their first station's path and when they were approved. */
  volunteers: Iterable<{ path: readonly string[]; at: Date | string }>;
}

/**
 * Every figure from the raw records. Active volunteers count in the order the work happened (the
 * first fulfilment or check-in of the month at a node), as the live writes count them.
 */
export function recompute(r: Records): FigureBook {
  const book = new FigureBook();
  const activeSeen: { at: number; a: Active }[] = [];
  for (const o of r.orders) {
    o.events.forEach((e, i) => {
      const { raises, actives } = orderRaises(o, o.events.slice(0, i), e);
      book.raise(raises);
      for (const a of actives) activeSeen.push({ at: new Date(a.at).getTime(), a });
    });
  }
  for (const c of r.checkins) {
    const { raises, actives } = checkinRaises(c, c.path);
    book.raise(raises);
    for (const a of actives) activeSeen.push({ at: new Date(a.at).getTime(), a });
  }
  for (const h of r.hours) book.raise([hoursRaise(h)]);
  for (const a of r.activities) book.raise([heldRaise(a)]);
  for (const e of r.entries) book.raise([entryRaise(e)]);
  for (const v of r.volunteers) book.raise([registeredRaise(v.path, v.at)]);
  activeSeen.sort((x, y) => x.at - y.at);
  for (const { a } of activeSeen) book.raise([], [a]);
  return book;
}

/** A difference between a kept document and the recomputed one. */
export interface Difference {
  id: string;
  counter: string;
  kept: number;
  recomputed: number;
}

const countersOf = (d: Record<string, unknown> | undefined): Delta => {
  const out: Delta = {};
  for (const [k, v] of Object.entries(d ?? {})) if (typeof v === 'number' && v !== 0) out[k] = v;
  return out;
};

/** Every counter where the kept documents and the recomputed ones differ (absent counts as 0). */
export function compare(kept: ReadonlyMap<string, Record<string, unknown>>, book: FigureBook): Difference[] {
  const out: Difference[] = [];
  // `docs` builds every document anew: once, not once an id (which made a county's check quadratic).
  const docs = book.docs;
  const ids = new Set([...kept.keys(), ...docs.keys()]);
  for (const id of [...ids].sort()) {
    const a = countersOf(kept.get(id));
    const b = countersOf(docs.get(id));
    for (const counter of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if ((a[counter] ?? 0) !== (b[counter] ?? 0)) {
        out.push({ id, counter, kept: a[counter] ?? 0, recomputed: b[counter] ?? 0 });
      }
    }
  }
  return out;
}

type Doc = Record<string, unknown>;

/** The raw documents as stored (only the fields the figures read are needed). */
export interface RawRecords {
  orders: Doc[];
  checkins: Doc[];
  hours: Doc[];
  activities: Doc[];
  entries: Doc[];
  volunteers: Doc[];
  orgs: Doc[];
}

const arr = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

/**
 * The records as the recompute reads them: check-ins with their activity's place, activities held
 * (closed by the timer, not cancelled), approved volunteers at their first station.
 */
export function recordsOf(raw: RawRecords): Records {
  const activityPath = new Map(raw.activities.map((a) => [String(a._id), arr(a.path)]));
  const orgPaths = new Map(raw.orgs.map((o) => [String(o._id), [...arr(o.ancestors), String(o._id)]]));
  return {
    orders: raw.orders.map((o) => ({
      kind: o.kind as OrderRecord['kind'],
      category: o.category as OrderRecord['category'],
      createdAt: o.createdAt as Date,
      path: arr(o.path),
      events: (o.events ?? []) as EventFacts[],
    })),
    // A check-in counts once the timer has counted it (figurePendingCheckins, within a run of the timer).
    checkins: raw.checkins
      .filter((c) => c.figured !== false)
      .map((c) => ({
        openid: String(c.openid),
        inAt: c.inAt as Date,
        path: activityPath.get(String(c.activityId)) ?? [],
      })),
    hours: raw.hours.map((h) => ({
      kind: h.kind as HoursFacts['kind'],
      minutes: Number(h.minutes),
      path: arr(h.path),
      at: h.at as Date,
    })),
    activities: raw.activities
      .filter((a) => a.closed === true && a.status !== 'cancelled')
      .map((a) => ({ path: arr(a.path), endAt: a.endAt as Date })),
    entries: raw.entries.map((e) => ({
      cause: String(e.cause),
      points: Number(e.points),
      path: arr(e.path),
      at: e.at as Date,
    })),
    volunteers: raw.volunteers
      .filter((v) => v.status !== 'pending' && v.status !== 'rejected' && arr(v.stationIds).length > 0)
      .map((v) => ({ path: orgPaths.get(arr(v.stationIds)[0]) ?? [], at: (v.reviewedAt ?? v.registeredAt) as Date }))
      .filter((v) => v.path.length > 0),
  };
}

/** The active-volunteer markers of a recompute, as stored. */
export const markDocs = (book: FigureBook) =>
  [...book.marks].map((id) => {
    const [month, orgId, ...openid] = id.split(':').reverse();
    return { _id: id, openid: openid.reverse().join(':'), orgId, month };
  });
