/**
 * Reading a large range of a collection page by page (exports, checks): CloudBase answers at most
 * 1,000 documents a get, and `skip` at depth makes the database walk every skipped document again, so
 * pages follow a keyset instead — the range's own indexed field:
 *
 *   page:  key in [from, to)   order by key   limit N          → its last key v
 *          the documents before v are answered; those at v are read apart:
 *   ties:  key = v and _id > last id   order by _id   limit N  (until a short page)
 *   next:  key in (v, to)      order by key   limit N  …
 *
 * The page's sort is the index's own (scope fields, then the key), so the database reads each page
 * from the index and stops after N, whatever the depth: no sort of the rest of the range (a sort on
 * key and _id together would be a blocking sort over everything still ahead, page after page). The
 * documents sharing one key value are read by _id, so a document is read once even when thousands
 * share the same moment. Each next page is asked for as soon as the one before it has arrived, so the
 * database reads while the caller writes. The caller's stores pass their own collection (only a store
 * names one).
 */
import { database, listOf, type Database } from './sdk';

type Collection = ReturnType<Database['collection']>;

/** The most CloudBase answers to one get from a cloud function. */
export const MAX_PAGE = 1000;

export interface KeysetRange {
  /** Equality conditions of the scope (e.g. `{ path: orgId }`), matched by the index's prefix. */
  where: Record<string, unknown>;
  /** The indexed field the range is on (a Date field), or `_id` itself (then no tie step). */
  key: string;
  /** Inclusive lower bound; none: from the start. */
  from?: Date;
  /** Exclusive upper bound; none: to the end. */
  to?: Date;
  /** Only these fields are read (`_id` and the key always are). */
  fields?: string[];
  pageSize?: number;
}

function valueAt(doc: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
}

const same = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : String(a) === String(b);

/** What to read next: a page of the range above `lower`, or the documents at one key value after `lastId`. */
type Step =
  | { at: 'range'; lower: { op: 'gte' | 'gt'; value: unknown } | null }
  | { at: 'ties'; v: unknown; lastId: string | null };

/**
 * The documents of a range in key order, one page (≤ pageSize documents) at a time. The next page is
 * asked for as soon as the current one has arrived, before the caller works on it: the database reads
 * while the caller writes.
 */
export async function* keysetPages<T extends { _id: string }>(
  collection: Collection,
  range: KeysetRange,
): AsyncGenerator<T[]> {
  const _ = database().command;
  const size = Math.min(range.pageSize ?? MAX_PAGE, MAX_PAGE);
  const projection = range.fields
    ? Object.fromEntries([...range.fields, '_id', range.key].map((f) => [f, true]))
    : undefined;
  const read = (where: Record<string, unknown>, order: string) => {
    let limited = collection.where(where).orderBy(order, 'asc').limit(size);
    if (projection) limited = limited.field(projection);
    return listOf<T>(limited);
  };
  const bound = (lower: { op: 'gte' | 'gt'; value: unknown } | null) => {
    const parts = [];
    if (lower) parts.push(lower.op === 'gt' ? _.gt(lower.value) : _.gte(lower.value));
    if (range.to) parts.push(_.lt(range.to));
    if (parts.length === 0) return _.exists(true);
    return parts.length === 1 ? parts[0] : parts[0].and(parts[1]);
  };
  const keyOf = (doc: T) => valueAt(doc as unknown as Record<string, unknown>, range.key);
  const fetch = (step: Step): Promise<T[]> =>
    step.at === 'range'
      ? read({ ...range.where, [range.key]: bound(step.lower) }, range.key)
      : read(
          { ...range.where, [range.key]: step.v, ...(step.lastId === null ? {} : { _id: _.gt(step.lastId) }) },
          '_id',
        );
  /** What a step's documents give the caller, and the step after it (none: the range is done). */
  const after = (step: Step, docs: T[]): { out: T[]; next: Step | null } => {
    if (step.at === 'ties') {
      const lastId = docs.length > 0 ? docs[docs.length - 1]._id : step.lastId;
      return {
        out: docs,
        next:
          docs.length < size ? { at: 'range', lower: { op: 'gt', value: step.v } } : { at: 'ties', v: step.v, lastId },
      };
    }
    if (docs.length < size) return { out: docs, next: null };
    const v = keyOf(docs[docs.length - 1]);
    if (range.key === '_id') return { out: docs, next: { at: 'range', lower: { op: 'gt', value: v } } };
    // The documents at the page's last key are read apart, by _id: those of this page and any beyond it.
    return { out: docs.filter((d) => !same(keyOf(d), v)), next: { at: 'ties', v, lastId: null } };
  };

  let step: Step | null = { at: 'range', lower: range.from ? { op: 'gte', value: range.from } : null };
  let pending = fetch(step);
  while (step) {
    const docs = await pending;
    const { out, next } = after(step, docs);
    if (next) {
      pending = fetch(next);
      // Handled here too: a caller that stops early never awaits it (an unhandled rejection ends Node).
      pending.catch(() => undefined);
    }
    if (out.length > 0) yield out;
    step = next;
  }
}
