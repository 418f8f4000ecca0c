/**
 * Reading what the command center's recompute needs from a database (the admin SDK, local or real),
 * in pages keyed on _id: the raw records, and the kept figure documents; and dropping the roll-ups of
 * closed months once the figures are rebuilt. Shared by the check script (`npm run stats:check`), the
 * page suite's after-suite check (tests/pages/global-teardown.ts) and the bench.
 */
import { randomBytes } from 'node:crypto';
import { GENERATION_ID } from '../../cloudfunctions/shared/stats/domain/rollups';
import {
  compare,
  recompute,
  recordsOf,
  type Difference,
  type FigureBook,
  type RawRecords,
  type Records,
} from '../../cloudfunctions/shared/stats/domain/records';
import { unsharded } from '../../cloudfunctions/shared/stats/domain/figures';
import { eachDoc, type AdminDb } from './admin-db';

export type StatsDb = AdminDb;

/** Every document of a collection (only `fields`), a keyset page at a time. */
export const each = eachDoc;

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
    each(db, 'checkins', (d) => raw.checkins.push(d), ['activityId', 'openid', 'inAt', 'figured']),
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

export interface FiguresCheck {
  /** How many records of each kind were read. */
  counts: Record<string, number>;
  /** How many figure documents were kept (shards summed). */
  kept: number;
  book: FigureBook;
  /** Every counter where the kept figures and the recompute differ. */
  diffs: Difference[];
  readMs: number;
  computeMs: number;
}

/**
 * The recompute check: every figure recomputed from the raw records and compared with the kept ones.
 * The records and the figures are read at once, so nothing may write meanwhile for the answer to hold.
 */
export async function checkFigures(db: StatsDb): Promise<FiguresCheck> {
  const t0 = Date.now();
  const [{ records, counts }, kept] = await Promise.all([loadRecords(db), loadFigures(db)]);
  const t1 = Date.now();
  const book = recompute(records);
  const diffs = compare(kept, book);
  return { counts, kept: kept.size, book, diffs, readMs: t1 - t0, computeMs: Date.now() - t1 };
}

/** One line per difference, at most `shown`, then how many more. */
export function describeDiffs(diffs: readonly Difference[], shown = 50): string[] {
  const lines = diffs.slice(0, shown).map((d) => `${d.id} ${d.counter}: kept ${d.kept}, recomputed ${d.recomputed}`);
  if (diffs.length > shown) lines.push(`… and ${diffs.length - shown} more`);
  return lines;
}

/**
 * After the figures are rebuilt: a new generation, which makes every roll-up of closed months kept
 * before it stale (a reader that summed the old figures while they were being replaced tags its
 * roll-up with the old generation, so it is never used), then the stale roll-ups removed. The epochs
 * stay: the generation alone tells old roll-ups apart.
 */
export async function dropRollups(db: StatsDb): Promise<void> {
  const coll = () => db.collection('figureRollups');
  const value = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const u = await coll().where({ _id: GENERATION_ID }).update({ kind: 'generation', value });
  if (u.code) throw new Error(`${u.code}`);
  if (!u.updated) {
    const a = await coll().add([{ _id: GENERATION_ID, kind: 'generation', value }]);
    if (a.code) throw new Error(`${a.code} ${a.message ?? ''}`);
  }
  const r = await coll().where({ kind: 'rollup' }).remove();
  if (r.code) throw new Error(`${r.code} ${r.message ?? ''}`);
}
