/**
 * Reading a large range of a collection page by page (exports, checks): CloudBase answers at most
 * 1,000 documents a get, and `skip` at depth makes the database walk every skipped document again, so
 * pages follow a keyset instead — the range's own indexed field, then `_id` among equal values:
 *
 *   page 1:  key in [from, to)            order by key, _id   limit N   → last = (v, id)
 *   ties:    key = v and _id > id         order by _id        limit N   (until a short page)
 *   page 2:  key in (v, to)               order by key, _id   limit N   …
 *
 * Each page is one indexed query whatever the depth, and a document is read once even when many share
 * the same key value. The caller's stores pass their own collection (only a store names a collection).
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
  const read = (where: Record<string, unknown>, order: string[]) => {
    let q = collection.where(where);
    for (const f of order) q = q.orderBy(f, 'asc');
    let limited = q.limit(size);
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

  let last: { value: unknown; id: string } | null = null;
  for (;;) {
    if (last && range.key !== '_id') {
      // The rest of the documents sharing the last page's final key value.
      for (;;) {
        const ties: T[] = await read({ ...range.where, [range.key]: last.value, _id: _.gt(last.id) }, ['_id']);
        if (ties.length > 0) {
          yield ties;
          last = { value: last.value, id: ties[ties.length - 1]._id };
        }
        if (ties.length < size) break;
      }
    }
    const lower: { op: 'gte' | 'gt'; value: unknown } | null = last
      ? { op: 'gt', value: last.value }
      : range.from
        ? { op: 'gte', value: range.from }
        : null;
    const page: T[] = await read({ ...range.where, [range.key]: bound(lower) }, [range.key, '_id']);
    if (page.length > 0) yield page;
    if (page.length < size) return;
    const end = page[page.length - 1];
    last = { value: valueAt(end as unknown as Record<string, unknown>, range.key), id: end._id };
  }
}
