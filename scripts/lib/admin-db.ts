/**
 * The little of the admin SDK's database (`connectDatabase` in org-target.ts) that the maintenance
 * scripts use — the integral audit, the figures check, the phone migration, the bench's fetch-all
 * baseline — and the one way they read a whole collection: keyset pages of 1,000 by `_id`, never skip.
 */

export interface Page {
  code?: string;
  message?: string;
  data?: Record<string, unknown>[];
}

export interface Query {
  where(q: Record<string, unknown>): Query;
  orderBy(f: string, d: 'asc' | 'desc'): Query;
  limit(n: number): Query;
  field(f: Record<string, boolean>): Query;
  get(): Promise<Page>;
  update(u: { data: Record<string, unknown> } | Record<string, unknown>): Promise<{ updated?: number; code?: string }>;
  remove(): Promise<{ code?: string; message?: string }>;
  add(docs: unknown[]): Promise<{ code?: string; message?: string }>;
}

export interface AdminDb {
  command: { gt(v: unknown): unknown; exists(v: boolean): unknown };
  collection(name: string): Query;
}

/** The most documents one read may answer (CloudBase's server-side limit). */
export const PAGE = 1000;

/**
 * Visits every document of a collection (only `fields`, when given), in `_id` order, a page at a time;
 * answers how many there were.
 */
export async function eachDoc(
  db: AdminDb,
  coll: string,
  visit: (doc: Record<string, unknown>) => unknown,
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
    for (const d of docs) await visit(d);
    n += docs.length;
    if (docs.length < PAGE) return n;
    last = String(docs[docs.length - 1]._id);
  }
}
