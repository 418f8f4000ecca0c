/**
 * The command center's store: the kept figures (`figures`, one document per node and Beijing day or
 * month), the markers that make a volunteer count once as active per node and month (`figureMarks`),
 * and the assessment method (`statsSettings`). Other capabilities raise figures with `raiseFigures`
 * inside their own transaction, so a figure changes exactly when the record it counts does.
 */
import { database, listOf } from '../runtime/sdk';
import type { TxOps } from '../runtime/transaction';
import type { AssessmentMethod } from '../../../typings/stats';
import {
  activeMarkId,
  K,
  monthOf,
  writesOf,
  type Active,
  type FigureDoc,
  type FigureWrite,
  type Raise,
} from './domain/figures';
import { DEMO_METHOD } from './domain/assessment';

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

async function write(tx: TxOps, w: FigureWrite): Promise<void> {
  const have = await tx.get<FigureDoc>('figures', w.id);
  if (have) {
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(w.delta)) data[k] = _().inc(v);
    await tx.update('figures', w.id, data);
  } else {
    const { _id, ...base } = w.base;
    await tx.set('figures', w.id, { ...base, ...w.delta });
  }
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
  for (const w of writesOf(all)) await write(tx, w);
}

/** Rows per query: CloudBase answers at most 1,000 documents to one get. */
const QUERY_LIMIT = 1000;

/**
 * The documents of a node and of each of its children for the given periods (days and months), in
 * parallel queries of at most 1,000 documents each: one round trip. `children` is how many children
 * the node may have at most, to size the queries.
 */
export async function figuresUnder(orgId: string, periods: readonly string[], children: number): Promise<FigureDoc[]> {
  const per = Math.max(1, Math.floor(QUERY_LIMIT / (children + 1)));
  const chunks: string[][] = [];
  for (let i = 0; i < periods.length; i += per) chunks.push(periods.slice(i, i + per));
  const pages = await Promise.all(
    chunks.map((chunk) =>
      listOf<FigureDoc>(
        database()
          .collection('figures')
          .where({ nodes: orgId, period: _().in(chunk) })
          .limit(QUERY_LIMIT),
      ),
    ),
  );
  return pages.flat();
}

/** The documents of some nodes for the given periods (the public figures: the county and its stations). */
export async function figuresOf(orgIds: readonly string[], periods: readonly string[]): Promise<FigureDoc[]> {
  if (orgIds.length === 0 || periods.length === 0) return [];
  const per = Math.max(1, Math.floor(QUERY_LIMIT / orgIds.length));
  const chunks: string[][] = [];
  for (let i = 0; i < periods.length; i += per) chunks.push(periods.slice(i, i + per));
  const pages = await Promise.all(
    chunks.map((chunk) =>
      listOf<FigureDoc>(
        database()
          .collection('figures')
          .where({ orgId: _().in([...orgIds]), period: _().in(chunk) })
          .limit(QUERY_LIMIT),
      ),
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
