/**
 * Reading what the command center's recompute needs from a database (the admin SDK, local or real),
 * in pages keyed on _id: the raw records, and the kept figure documents. Shared by the check script
 * (`npm run stats:check`) and the bench.
 */
import { recordsOf, type RawRecords, type Records } from '../../cloudfunctions/shared/stats/domain/records';
import { unsharded } from '../../cloudfunctions/shared/stats/domain/figures';

interface Page {
  code?: string;
  message?: string;
  data?: Record<string, unknown>[];
}
interface Query {
  where(q: Record<string, unknown>): Query;
  orderBy(f: string, d: 'asc' | 'desc'): Query;
  limit(n: number): Query;
  field(f: Record<string, boolean>): Query;
  get(): Promise<Page>;
  remove(): Promise<{ code?: string; message?: string }>;
  add(docs: unknown[]): Promise<{ code?: string; message?: string }>;
}
export interface StatsDb {
  command: { gt(v: unknown): unknown; exists(v: boolean): unknown };
  collection(name: string): Query;
}

const PAGE = 1000;

export async function each(
  db: StatsDb,
  coll: string,
  visit: (doc: Record<string, unknown>) => void,
  fields?: string[],
): Promise<number> {
  let last: string | null = null;
  let n = 0;
  for (;;) {
    let q: Query =
      last === null ? db.collection(coll).where({}) : db.collection(coll).where({ _id: db.command.gt(last) });
    if (fields) q = q.field(Object.fromEntries([...fields, '_id'].map((f) => [f, true])));
    const r = await q.orderBy('_id', 'asc').limit(PAGE).get();
    if (r.code) throw new Error(`${r.code} ${r.message ?? ''}`);
    const docs = r.data ?? [];
    docs.forEach(visit);
    n += docs.length;
    if (docs.length < PAGE) return n;
    last = String(docs[docs.length - 1]._id);
  }
}

type Doc = Record<string, unknown>;

/** Every raw record the figures count, read once. */
export async function loadRecords(db: StatsDb): Promise<{ records: Records; counts: Record<string, number> }> {
  const raw: RawRecords = {
    orders: [],
    checkins: [],
    hours: [],
    activities: [],
    entries: [],
    volunteers: [],
    orgs: [],
  };
  await Promise.all([
    each(db, 'orders', (d) => raw.orders.push(d), ['kind', 'category', 'createdAt', 'path', 'events']),
    each(db, 'checkins', (d) => raw.checkins.push(d), ['activityId', 'openid', 'inAt']),
    each(db, 'hours', (d) => raw.hours.push(d), ['kind', 'minutes', 'path', 'at']),
    each(db, 'activities', (d) => raw.activities.push(d), ['path', 'endAt', 'closed', 'status']),
    each(db, 'integralLedger', (d) => raw.entries.push(d), ['cause', 'points', 'path', 'at']),
    each(db, 'volunteers', (d) => raw.volunteers.push(d), ['status', 'stationIds', 'reviewedAt', 'registeredAt']),
    each(db, 'orgs', (d) => raw.orgs.push(d), ['ancestors']),
  ]);
  const counts = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, (v as Doc[]).length]));
  return { records: recordsOf(raw), counts };
}

/** The kept figure documents by id. */
export async function loadFigures(db: StatsDb): Promise<Map<string, Doc>> {
  const kept = new Map<string, Doc>();
  // A node's month may be kept in several shards: summed into one, under the shard-0 id the recompute uses.
  await each(db, 'figures', (d) => {
    const id = unsharded(String(d._id));
    const into = kept.get(id);
    if (!into) return void kept.set(id, { ...d, _id: id });
    for (const [k, v] of Object.entries(d)) {
      if (typeof v === 'number') into[k] = (typeof into[k] === 'number' ? (into[k] as number) : 0) + v;
    }
  });
  return kept;
}
