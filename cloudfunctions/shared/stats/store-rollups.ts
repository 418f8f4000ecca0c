/**
 * The stats store, continued (store.ts): the roll-ups of closed months (`figureRollups`,
 * domain/rollups.ts) — read with the epochs that tell a stale one, computed from the month before's
 * when missing, kept by a keyed insert — and what the league tables, the big screen and the overview
 * read through them.
 */
import { database, listOf } from '../runtime/sdk';
import { isDuplicateKey } from '../runtime/errors';
import { add, monthsBetween, nextMonth, type Delta, type FigureDoc } from './domain/figures';
import { sumOf } from './domain/summing';
import {
  chainOf,
  epochId,
  GENERATION_ID,
  isClosed,
  isJanuary,
  prevMonth,
  rollupId,
  splitClosed,
  tagOf,
  totalOverRun,
  ytdMonthsOf,
  type EpochDoc,
  type GenerationDoc,
  type RollupDoc,
} from './domain/rollups';
import { figuresOf } from './store';

const _ = () => database().command;
const rollupsColl = () => database().collection('figureRollups');

/** Rows per query: CloudBase answers at most 1,000 documents to one get. */
const QUERY_LIMIT = 1000;

/** A node as the roll-ups need it: its id and its parent's (a roll-up's `nodes`). */
export interface RollupNode {
  _id: string;
  parentId: string | null;
}

/** Which nodes a read is for: these, or a node and its children (`nodes: id`, one query without their ids). */
type Selection = { ids: readonly string[] } | { under: string };

const chunksOf = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_x, i) => xs.slice(i * n, i * n + n));

/** Every page of a query (a second only when stale versions make it outgrow one answer). */
async function allPages<T>(where: Record<string, unknown>, fields?: Record<string, true>): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += QUERY_LIMIT) {
    const q = rollupsColl().where(where);
    const page = await listOf<T>((fields ? q.field(fields) : q).skip(skip).limit(QUERY_LIMIT));
    out.push(...page);
    if (page.length < QUERY_LIMIT) return out;
  }
}

/** The tag each node's roll-ups must carry to be current: the generation and the node's epoch. */
async function tagsOf(sel: Selection): Promise<(orgId: string) => string> {
  const epochQueries =
    'under' in sel
      ? [allPages<EpochDoc>({ kind: 'epoch', nodes: sel.under })]
      : chunksOf(sel.ids.map(epochId), QUERY_LIMIT).map((ids) => allPages<EpochDoc>({ _id: _().in(ids) }));
  const [generationDocs, ...epochPages] = await Promise.all([
    listOf<GenerationDoc>(rollupsColl().where({ _id: GENERATION_ID }).limit(1)),
    ...epochQueries,
  ]);
  const generation = generationDocs[0]?.value ?? '0';
  const epochs = new Map(epochPages.flat().map((d) => [d.orgId, d.n]));
  return (orgId) => tagOf(generation, epochs.get(orgId) ?? 0);
}

/** The fields a reader of year-to-dates needs (not each month's totals). */
const YTD_ONLY: Record<string, true> = { _id: true, orgId: true, month: true, tag: true, ytd: true };

/**
 * The kept roll-ups (any tag) of the nodes for the months, in parallel queries of about 500 each;
 * `fields`: a projection (without it, whole documents).
 */
async function keptOf(sel: Selection, months: readonly string[], fields?: Record<string, true>): Promise<RollupDoc[]> {
  if (months.length === 0) return [];
  const where = (nodes: Record<string, unknown>, ms: string[]) => ({ kind: 'rollup', ...nodes, month: _().in(ms) });
  if ('under' in sel) return allPages<RollupDoc>(where({ nodes: sel.under }, [...months]), fields);
  if (sel.ids.length === 0) return [];
  const perQuery = Math.max(1, Math.floor(500 / months.length));
  const pages = await Promise.all(
    chunksOf(sel.ids, perQuery).map((ids) => allPages<RollupDoc>(where({ orgId: _().in(ids) }, [...months]), fields)),
  );
  return pages.flat();
}

/**
 * Keeps roll-ups by a keyed insert: a reader computing the same one at the same time inserts the same
 * document under the same id, and whichever comes second is refused as a duplicate, which is fine.
 */
async function keep(rollups: readonly RollupDoc[]): Promise<void> {
  await Promise.all(
    chunksOf(rollups, 100).map(async (batch) => {
      try {
        await rollupsColl().add({ data: batch });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // Someone kept some of them first: the rest one by one.
        for (const r of batch) {
          try {
            await rollupsColl().add({ data: r });
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
          }
        }
      }
    }),
  );
}

/** One node's months of one year to compute: from `from` to `to`, on top of the year-to-date `base`. */
interface Plan {
  node: RollupNode;
  from: string;
  to: string;
  base: Delta | undefined;
}

/**
 * Each node's current roll-ups of the months (closed, in order), those not kept computed: a missing
 * run within a year from the roll-up of the month before it when that one is kept, else from the
 * latest kept earlier that year (one more read), else from January; every month computed is kept, and
 * the stale versions seen are removed. `kept`: what the caller read already (any tags, any nodes).
 */
async function ensure(
  nodes: readonly RollupNode[],
  months: readonly string[],
  kept: readonly RollupDoc[],
  tagFor: (orgId: string) => string,
  now: number,
): Promise<Map<string, Map<string, RollupDoc>>> {
  const current = new Map(nodes.map((n) => [n._id, new Map<string, RollupDoc>()]));
  const stale = new Set<string>();
  for (const r of kept) {
    if (r.tag !== tagFor(r.orgId)) stale.add(r._id);
    else current.get(r.orgId)?.set(r.month, r);
  }
  // Per node, each run of missing months in a row (within a year): computed on the roll-up of the
  // month before it when that is kept (or on nothing, from a January), else on the latest kept earlier
  // that year, found by one more read, else from January.
  const plans: Plan[] = [];
  for (const node of nodes) {
    const mine = current.get(node._id) ?? new Map<string, RollupDoc>();
    let run: Plan | undefined;
    for (const m of months.filter((month) => !mine.has(month))) {
      if (run && nextMonth(run.to) === m && !isJanuary(m)) {
        run.to = m;
        continue;
      }
      run = { node, from: m, to: m, base: isJanuary(m) ? {} : mine.get(prevMonth(m))?.ytd };
      plans.push(run);
    }
  }
  if (plans.length === 0) return current;

  const deeper = plans.filter((p) => p.base === undefined);
  if (deeper.length > 0) {
    // Only for the bases: what this read finds does not join the answer (it has the year-to-dates alone).
    const yearTo = (p: Plan) => monthsBetween(`${p.from.slice(0, 4)}-01-01`, `${prevMonth(p.from)}-01`);
    const earlier = [...new Set(deeper.flatMap(yearTo))];
    const found = new Map<string, RollupDoc>();
    for (const r of await keptOf({ ids: [...new Set(deeper.map((p) => p.node._id))] }, earlier, YTD_ONLY)) {
      if (r.tag !== tagFor(r.orgId)) stale.add(r._id);
      else found.set(`${r.orgId}:${r.month}`, r);
    }
    for (const p of deeper) {
      const latest = yearTo(p)
        .reverse()
        .map((m) => current.get(p.node._id)?.get(m) ?? found.get(`${p.node._id}:${m}`))
        .find((r) => r !== undefined);
      p.base = latest?.ytd ?? {};
      p.from = latest ? nextMonth(latest.month) : `${p.from.slice(0, 4)}-01`;
    }
  }

  // The months' figures for the plans that share a run of months (usually all of them), a month at a
  // time, each month's roll-ups kept before the next is read: a long run (after a rebuild) is never one
  // burst of reads, and a call cut short leaves what it computed for the next to build on.
  const byRun = new Map<string, Plan[]>();
  for (const p of plans) byRun.set(`${p.from}..${p.to}`, [...(byRun.get(`${p.from}..${p.to}`) ?? []), p]);
  const computed = new Set<string>();
  const removing = Promise.all(
    chunksOf([...stale], QUERY_LIMIT).map((ids) =>
      rollupsColl()
        .where({ _id: _().in(ids), kind: 'rollup' })
        .remove(),
    ),
  );
  await Promise.all(
    [...byRun.values()].map(async (group) => {
      const ytd = new Map(group.map((p) => [p.node._id, p.base ?? {}]));
      for (const month of monthsBetween(`${group[0].from}-01`, `${group[0].to}-01`)) {
        const byOrg = new Map<string, FigureDoc[]>();
        for (const d of await figuresOf([...ytd.keys()], [month]))
          byOrg.set(d.orgId, [...(byOrg.get(d.orgId) ?? []), d]);
        const docs = group.map(({ node }): RollupDoc => {
          const id = node._id;
          const [r] = chainOf(ytd.get(id) ?? {}, [month], () => sumOf(byOrg.get(id) ?? []));
          ytd.set(id, r.ytd);
          const tag = tagFor(id);
          const doc: RollupDoc = {
            _id: rollupId(id, month, tag),
            kind: 'rollup',
            orgId: id,
            nodes: node.parentId ? [id, node.parentId] : [id],
            month,
            tag,
            totals: r.totals,
            ytd: r.ytd,
            at: new Date(now),
          };
          current.get(id)?.set(month, doc);
          return doc;
        });
        // A month two runs of one node share (both computed from January after a rebuild) is kept once.
        await keep(docs.filter((d) => !computed.has(d._id)));
        for (const d of docs) computed.add(d._id);
      }
    }),
  );
  await removing;
  return current;
}

/**
 * Each node's month totals summed over the months: the closed months from the node's roll-ups (the
 * year-to-date at each year's last month less the one before its first: two documents a node a year),
 * the open ones read live. Exact, not a cache that may lag: see domain/rollups.ts.
 */
export async function totalsOf(
  nodes: readonly RollupNode[],
  months: readonly string[],
  now: number,
): Promise<Map<string, Delta>> {
  const ids = nodes.map((n) => n._id);
  const out = new Map(ids.map((id) => [id, {} as Delta]));
  if (ids.length === 0 || months.length === 0) return out;
  const { closed, open } = splitClosed(months, now);
  const wanted = ytdMonthsOf(closed);
  const [tagFor, kept, live] = await Promise.all([
    tagsOf({ ids }),
    // With the month before each: the one a newly closed month is computed from.
    keptOf({ ids }, [...new Set([...wanted, ...wanted.map(prevMonth)])], YTD_ONLY),
    figuresOf(ids, open),
  ]);
  for (const d of live) add(out.get(d.orgId) ?? {}, sumOf([d]));
  if (closed.length === 0) return out;
  const rollups = await ensure(nodes, wanted, kept, tagFor, now);
  for (const id of ids) {
    const mine = rollups.get(id);
    add(
      out.get(id) ?? {},
      totalOverRun(closed, (m) => mine?.get(m)?.ytd ?? {}),
    );
  }
  return out;
}

/**
 * The overview's closed months of a node and its children: each node's totals for each month, from
 * the roll-ups. Calling it starts the reads that need no node list (the kept roll-ups and epochs under
 * the node) at once; `of` finishes with the node list the caller read meanwhile.
 */
export function monthTotalsUnder(orgId: string, months: readonly string[], now: number) {
  const closed = months.filter((m) => isClosed(m, now));
  const started =
    closed.length > 0
      ? Promise.all([
          tagsOf({ under: orgId }),
          keptOf({ under: orgId }, [...new Set([...closed, ...closed.map(prevMonth)])]),
        ])
      : null;
  return {
    closed,
    async of(nodes: readonly RollupNode[]): Promise<Map<string, Map<string, Delta>>> {
      if (!started) return new Map();
      const [tagFor, kept] = await started;
      const rollups = await ensure(nodes, closed, kept, tagFor, now);
      return new Map([...rollups].map(([id, byMonth]) => [id, new Map([...byMonth].map(([m, r]) => [m, r.totals]))]));
    },
  };
}

/** What the timer marks once a month's roll-ups are kept for every node, under which generation. */
interface KeptMarkDoc {
  _id: typeof KEPT_ID;
  kind: 'kept';
  month: string;
  generation: string;
}
const KEPT_ID = 'kept';

/**
 * The generation now, and whether the timer has kept the month's roll-ups under it already: one read.
 */
export async function monthKept(month: string): Promise<{ kept: boolean; generation: string }> {
  const docs = await listOf<GenerationDoc | KeptMarkDoc>(
    rollupsColl()
      .where({ _id: _().in([GENERATION_ID, KEPT_ID]) })
      .limit(2),
  );
  const generation = docs.find((d): d is GenerationDoc => d.kind === 'generation')?.value ?? '0';
  const mark = docs.find((d): d is KeptMarkDoc => d.kind === 'kept');
  return { kept: mark?.month === month && mark.generation === generation, generation };
}

/**
 * Keeps the nodes' roll-ups of a closed month (those of the months before it too, where missing), then
 * marks the month kept under the generation read before: a rebuild meanwhile leaves the mark stale, and
 * the next run keeps them again. Safe to repeat: a roll-up kept already is read, not computed.
 * Returns how many nodes' roll-ups of the month were computed.
 */
export async function keepMonth(
  nodes: readonly RollupNode[],
  month: string,
  generation: string,
  now: number,
): Promise<number> {
  const ids = nodes.map((n) => n._id);
  const [tagFor, kept] = await Promise.all([tagsOf({ ids }), keptOf({ ids }, [month, prevMonth(month)], YTD_ONLY)]);
  const had = new Set(kept.filter((r) => r.month === month && r.tag === tagFor(r.orgId)).map((r) => r.orgId));
  await ensure(nodes, [month], kept, tagFor, now);
  const mark: Omit<KeptMarkDoc, '_id'> = { kind: 'kept', month, generation };
  await rollupsColl().doc(KEPT_ID).set({ data: mark });
  return ids.filter((id) => !had.has(id)).length;
}
