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
 * share the same moment. The caller's stores pass their own collection (only a store names one).
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

/** The documents of a range in key order, one page (≤ pageSize documents) at a time. */
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

  let lower: { op: 'gte' | 'gt'; value: unknown } | null = range.from ? { op: 'gte', value: range.from } : null;
  for (;;) {
    const page: T[] = await read({ ...range.where, [range.key]: bound(lower) }, range.key);
    if (page.length < size) {
      if (page.length > 0) yield page;
      return;
    }
    const v = keyOf(page[page.length - 1]);
    if (range.key === '_id') {
      yield page;
      lower = { op: 'gt', value: v };
      continue;
    }
    const before = page.filter((d) => !same(keyOf(d), v));
    if (before.length > 0) yield before;
    // Every document at v, by _id: those of this page and any beyond it.
    let lastId: string | null = null;
    for (;;) {
      const ties: T[] = await read(
        { ...range.where, [range.key]: v, ...(lastId === null ? {} : { _id: _.gt(lastId) }) },
        '_id',
      );
      if (ties.length > 0) {
        yield ties;
        lastId = ties[ties.length - 1]._id;
      }
      if (ties.length < size) break;
    }
    lower = { op: 'gt', value: v };
  }
}
