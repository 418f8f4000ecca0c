/**
 * The command center's store: the kept figures (`figures`, one document per node and Beijing month,
 * with each day's counters inside), the markers that make a volunteer count once as active per node and month (`figureMarks`),
 * the epochs that tell when a roll-up of closed months is stale (`figureRollups`, domain/rollups.ts; the
 * roll-ups themselves in store-rollups.ts), and the assessment method (`statsSettings`). Other capabilities raise figures
 * with `raiseFigures` inside their own transaction, so a figure changes exactly when the record it counts does.
 */
import { database, listOf } from '../runtime/sdk';
import { nowMs } from '../runtime/clock';
import type { TxOps } from '../runtime/transaction';
import type { AssessmentMethod } from '../../../typings/stats';
import {
  activeMarkId,
  FIGURE_SHARDS,
  K,
  TOTAL_KEYS,
  monthOf,
  writesOf,
  type Active,
  type FigureDoc,
  type FigureWrite,
  type Raise,
} from './domain/figures';
import { DEMO_METHOD } from './domain/assessment';
import { epochId, isLate, type EpochDoc } from './domain/rollups';

const _ = () => database().command;

/** The raises that count `active` for each node of its path where the volunteer is new this month. */
async function activeRaises(tx: TxOps, actives: readonly Active[]): Promise<Raise[]> {
  const out: Raise[] = [];
  const seen = new Set<string>();
  for (const a of actives) {
    const month = monthOf(a.at);
    for (const orgId of a.path) {
      const id = activeMarkId(a.openid, orgId, month);
      if (seen.has(id)) continue;
      seen.add(id);
      if (await tx.get('figureMarks', id)) continue;
      await tx.set('figureMarks', id, { openid: a.openid, orgId, month, at: new Date(a.at) });
      out.push({ path: a.path, only: orgId, at: a.at, delta: { [K.active]: 1 } });
    }
  }
  return out;
}

/**
 * One document's increments: an update by id (an increment always changes it, so 0 updated means no
 * document yet), else the document created with them. One write for a day or month already begun.
 */
async function write(tx: TxOps, w: FigureWrite): Promise<void> {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w.delta)) data[k] = _().inc(v);
  if ((await tx.updateCount('figures', w.id, data)) === 1) return;
  const { _id, ...base } = w.base;
  await tx.set('figures', w.id, { ...base, ...w.delta });
}

/**
 * Raises the figures inside the caller's transaction: each delta for the node and all its ancestors,
 * on the day and month it happened; each active volunteer once per node and month.
 */
export async function raiseFigures(
  tx: TxOps,
  raises: readonly Raise[],
  actives: readonly Active[] = [],
): Promise<void> {
  const all = [...raises, ...(await activeRaises(tx, actives))];
  // One shard for the whole change, at random: concurrent changes rarely meet on a document.
  const writes = writesOf(all, Math.floor(Math.random() * FIGURE_SHARDS));
  for (const w of writes) await write(tx, w);
  // A raise into a month long over makes the roll-ups of its nodes stale (domain/rollups.ts).
  const now = nowMs();
  const late = new Map(writes.filter((w) => isLate(w.base.month, now)).map((w) => [w.base.orgId, w.base.nodes]));
  for (const [orgId, nodes] of late) {
    // `nodes` set on every raise: an epoch kept before it had them gets them on its next one.
    if ((await tx.updateCount('figureRollups', epochId(orgId), { n: _().inc(1), nodes })) === 1) continue;
    const epoch: Omit<EpochDoc, '_id'> = { kind: 'epoch', orgId, nodes, n: 1 };
    await tx.set('figureRollups', epochId(orgId), epoch);
  }
}

/** Rows per query: CloudBase answers at most 1,000 documents to one get. */
const QUERY_LIMIT = 1000;

/** The fields of a month's totals: whole months are read without their days. */
const TOTALS = Object.fromEntries(
  ['_id', 'orgId', 'nodes', 'grain', 'period', 'month', ...TOTAL_KEYS].map((k) => [k, true]),
);

/**
 * Pages of a query until it answers less than a full page (a second page only for outsized nodes);
 * `totals`: the months' totals only, not each day's counters.
 */
async function allOf(where: Record<string, unknown>, totals: boolean): Promise<FigureDoc[]> {
  const out: FigureDoc[] = [];
  for (let skip = 0; ; skip += QUERY_LIMIT) {
    const q = database().collection('figures').where(where);
    const page = await listOf<FigureDoc>((totals ? q.field(TOTALS) : q).skip(skip).limit(QUERY_LIMIT));
    out.push(...page);
    if (page.length < QUERY_LIMIT) return out;
  }
}

/** Splits periods so that `nodes` nodes' documents (every shard) for each part fit in one answer. */
function chunked(periods: readonly string[], nodes: number): string[][] {
  const per = Math.max(1, Math.floor(QUERY_LIMIT / (Math.max(1, nodes) * FIGURE_SHARDS)));
  const chunks: string[][] = [];
  for (let i = 0; i < periods.length; i += per) chunks.push(periods.slice(i, i + per));
  return chunks;
}

/**
 * The month documents of a node and of each of its children for the given months, in parallel queries
 * sized to answer at most 1,000 documents each for `children` children: one round trip (a node with
 * more children than that pages on, and costs one more).
 */
export async function figuresUnder(
  orgId: string,
  months: { whole: readonly string[]; part: readonly string[] },
  children: number,
): Promise<FigureDoc[]> {
  const query = (chunk: string[], totals: boolean) => allOf({ nodes: orgId, period: _().in(chunk) }, totals);
  const pages = await Promise.all([
    ...chunked(months.whole, children + 1).map((chunk) => query(chunk, true)),
    ...chunked(months.part, children + 1).map((chunk) => query(chunk, false)),
  ]);
  return pages.flat();
}

/** The month documents of some nodes for the given months (the public figures, the assessment), in parallel. */
export async function figuresOf(
  orgIds: readonly string[],
  periods: readonly string[],
  totals = true,
): Promise<FigureDoc[]> {
  if (orgIds.length === 0 || periods.length === 0) return [];
  const pages = await Promise.all(
    chunked(periods, orgIds.length).map((chunk) =>
      allOf({ orgId: _().in([...orgIds]), period: _().in(chunk) }, totals),
    ),
  );
  return pages.flat();
}

const SETTINGS_ID = 'assessment';

export async function loadMethod(): Promise<AssessmentMethod> {
  const [doc] = await listOf<{ method: AssessmentMethod }>(
    database().collection('statsSettings').where({ _id: SETTINGS_ID }).limit(1),
  );
  return doc?.method ?? DEMO_METHOD;
}

export async function saveMethod(method: AssessmentMethod): Promise<void> {
  await database().collection('statsSettings').doc(SETTINGS_ID).set({ data: { method } });
}
