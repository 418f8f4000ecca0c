/**
 * The command center's store: the kept figures (`figures`, one document per node and Beijing month,
 * with each day's counters inside), the markers that make a volunteer count once as active per node and month (`figureMarks`),
 * the roll-ups of closed months with the epochs that tell when one is stale (`figureRollups`,
 * domain/rollups.ts), and the assessment method (`statsSettings`). Other capabilities raise figures
 * with `raiseFigures` inside their own transaction, so a figure changes exactly when the record it counts does.
 */
import { database, listOf } from '../runtime/sdk';
import { nowMs } from '../runtime/clock';
import { isDuplicateKey } from '../runtime/errors';
import type { TxOps } from '../runtime/transaction';
import type { AssessmentMethod } from '../../../typings/stats';
import {
  activeMarkId,
  add,
  FIGURE_SHARDS,
  K,
  TOTAL_KEYS,
  monthOf,
  writesOf,
  type Active,
  type Delta,
  type FigureDoc,
  type FigureWrite,
  type Raise,
} from './domain/figures';
import { sumOf } from './domain/summing';
import { DEMO_METHOD } from './domain/assessment';
import {
  epochId,
  GENERATION_ID,
  isLate,
  rangeOf,
  rollupId,
  splitClosed,
  tagOf,
  type EpochDoc,
  type GenerationDoc,
  type RollupDoc,
} from './domain/rollups';

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
  for (const orgId of new Set(writes.filter((w) => isLate(w.base.month, now)).map((w) => w.base.orgId))) {
    if ((await tx.updateCount('figureRollups', epochId(orgId), { n: _().inc(1) })) === 1) continue;
    await tx.set('figureRollups', epochId(orgId), { kind: 'epoch', orgId, n: 1 } satisfies Omit<EpochDoc, '_id'>);
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

// ── roll-ups of closed months (domain/rollups.ts) ─────────────────────────────────────────────

/** Nodes per roll-up query: a few stale versions of each still fit one answer. */
const ROLLUP_CHUNK = 200;

const chunksOf = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_x, i) => xs.slice(i * n, i * n + n));

/** The tag each node's roll-ups must carry to be current: the generation and the node's epoch. */
async function tagsOf(orgIds: readonly string[]): Promise<Map<string, string>> {
  const pages = await Promise.all(
    chunksOf([GENERATION_ID, ...orgIds.map(epochId)], QUERY_LIMIT).map((ids) =>
      listOf<EpochDoc | GenerationDoc>(
        database()
          .collection('figureRollups')
          .where({ _id: _().in(ids) })
          .limit(QUERY_LIMIT),
      ),
    ),
  );
  const docs = pages.flat();
  const generation = docs.find((d): d is GenerationDoc => d.kind === 'generation')?.value ?? '0';
  const epochs = new Map(docs.flatMap((d) => (d.kind === 'epoch' ? [[d.orgId, d.n] as const] : [])));
  return new Map(orgIds.map((id) => [id, tagOf(generation, epochs.get(id) ?? 0)]));
}

/** The kept roll-ups (any tag) of the nodes over a run of months. */
async function rollupsOf(orgIds: readonly string[], range: string): Promise<RollupDoc[]> {
  const pages = await Promise.all(
    chunksOf(orgIds, ROLLUP_CHUNK).map((ids) =>
      listOf<RollupDoc>(
        database()
          .collection('figureRollups')
          .where({ orgId: _().in(ids), range })
          .limit(QUERY_LIMIT),
      ),
    ),
  );
  return pages.flat();
}

/**
 * Keeps roll-ups by a keyed insert: a reader computing the same one at the same time inserts the same
 * document under the same id, and whichever comes second is refused as a duplicate, which is fine.
 */
async function keep(rollups: readonly RollupDoc[]): Promise<void> {
  const coll = database().collection('figureRollups');
  for (const batch of chunksOf(rollups, 100)) {
    try {
      await coll.add({ data: batch });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // Someone kept some of them first: the rest one by one.
      for (const r of batch) {
        try {
          await coll.add({ data: r });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
    }
  }
}

/** Computes and keeps the nodes' roll-ups over the closed months; stale versions seen are removed. */
async function rollUp(
  orgIds: readonly string[],
  closed: readonly string[],
  tags: ReadonlyMap<string, string>,
  stale: readonly string[],
  now: number,
): Promise<RollupDoc[]> {
  const sums = new Map(orgIds.map((id) => [id, {} as Delta]));
  for (const d of await figuresOf(orgIds, closed)) add(sums.get(d.orgId) ?? {}, sumOf([d]));
  const range = rangeOf(closed);
  const rollups = orgIds.map((orgId): RollupDoc => ({
    _id: rollupId(orgId, range, tags.get(orgId) ?? ''),
    kind: 'rollup',
    orgId,
    range,
    tag: tags.get(orgId) ?? '',
    totals: sums.get(orgId) ?? {},
    at: new Date(now),
  }));
  await Promise.all([
    keep(rollups),
    ...chunksOf(stale, QUERY_LIMIT).map((ids) =>
      database()
        .collection('figureRollups')
        .where({ _id: _().in(ids), kind: 'rollup' })
        .remove(),
    ),
  ]);
  return rollups;
}

/**
 * Each node's month totals summed over the months: the closed months from the node's roll-up
 * (computed and kept on first need, recomputed once a late raise or a rebuild has made it stale), the
 * open ones read live. Exact, not a cache that may lag: see domain/rollups.ts.
 */
export async function totalsOf(
  orgIds: readonly string[],
  months: readonly string[],
  now: number,
): Promise<Map<string, Delta>> {
  const out = new Map(orgIds.map((id) => [id, {} as Delta]));
  if (orgIds.length === 0 || months.length === 0) return out;
  const { closed, open } = splitClosed(months, now);
  const range = closed.length > 0 ? rangeOf(closed) : '';
  const [tags, kept, live] = await Promise.all([
    closed.length > 0 ? tagsOf(orgIds) : Promise.resolve(new Map<string, string>()),
    closed.length > 0 ? rollupsOf(orgIds, range) : Promise.resolve([]),
    figuresOf(orgIds, open),
  ]);
  for (const d of live) add(out.get(d.orgId) ?? {}, sumOf([d]));
  if (closed.length === 0) return out;
  const current = kept.filter((r) => r.tag === tags.get(r.orgId));
  const found = new Set(current.map((r) => r.orgId));
  const missing = orgIds.filter((id) => !found.has(id));
  const stale = kept.filter((r) => r.tag !== tags.get(r.orgId)).map((r) => r._id);
  const computed = missing.length > 0 ? await rollUp(missing, closed, tags, stale, now) : [];
  for (const r of [...current, ...computed]) add(out.get(r.orgId) ?? {}, r.totals);
  return out;
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
