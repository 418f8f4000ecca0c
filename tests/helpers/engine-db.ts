/**
 * The read half of the admin SDK's database (scripts/lib/admin-db.ts) straight over a local cloud's
 * engine in this process, for the recompute check (scripts/lib/stats.ts checkFigures) where the cloud
 * runs in the same process as the check: the page suite's global teardown. Same queries, same answers,
 * no HTTP: nothing to meet a keep-alive socket the server closes under load, and a read is a plain
 * call. Reads only; writes throw.
 */
import type { Engine } from '../../localcloud/db/engine';
import type { SortSpec } from '../../localcloud/db/planner';
import type { AdminDb, Query } from '../../scripts/lib/admin-db';

type Doc = Record<string, unknown>;

interface Spec {
  query: Doc;
  sort: SortSpec;
  limit?: number;
  projection?: Doc;
}

const readOnly = (): never => {
  throw new Error('engineDb reads only');
};

function queryOf(engine: Engine, coll: string, spec: Spec): Query {
  const next = (more: Partial<Spec>) => queryOf(engine, coll, { ...spec, ...more });
  return {
    where: (q) => next({ query: { ...spec.query, ...q } }),
    orderBy: (field, dir) => next({ sort: [...spec.sort, [field, dir === 'asc' ? 1 : -1]] }),
    limit: (n) => next({ limit: n }),
    field: (f) => next({ projection: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v ? 1 : 0])) }),
    get: () => Promise.resolve({ data: engine.find(coll, spec) }),
    update: readOnly,
    remove: readOnly,
    add: readOnly,
  };
}

export function engineDb(engine: Engine): AdminDb {
  return {
    command: { gt: (v) => ({ $gt: v }), exists: (v) => ({ $exists: v }) },
    collection: (name) => queryOf(engine, name, { query: {}, sort: [] }),
  };
}
