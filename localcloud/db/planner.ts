/**
 * Picks the declared index that narrows a query most and turns the conditions it can serve into SQL
 * over that index's table. The SQL only ever selects a superset of the matching documents; mingo then
 * decides exactly. Only scalar equality, $in and range conditions at the top level (or under $and) are
 * pushed; anything else ($or, $ne, regexes, nested objects) is left to mingo alone.
 */
import { encodeKey, isScalar, typeBounds, type Scalar } from './keys';
import type { Doc } from './ejson';

export interface IndexMeta {
  name: string;
  fields: { field: string; dir: 1 | -1 }[];
  unique: boolean;
  /** Some document held an array in one of the fields (the fields are in multikeyFields). */
  multikey: boolean;
  multikeyFields: string[];
  table: string;
}

interface Range {
  lo?: { key: Buffer; incl: boolean };
  hi?: { key: Buffer; incl: boolean };
}

interface Bound {
  op: '$gt' | '$gte' | '$lt' | '$lte';
  key: Buffer;
  typeLo: Buffer;
  typeHi: Buffer;
}

interface FieldCond {
  eq?: Buffer[];
  bounds?: Bound[];
}

export type SortSpec = [string, 1 | -1][];

export interface Plan {
  /** SQL selecting `id, body` of candidate documents. */
  sql: string;
  params: (Buffer | number)[];
  /** The candidates arrive in the requested sort order (or no sort was requested). */
  ordered: boolean;
  /** A multikey index can return one document several times. */
  mayRepeat: boolean;
  index: string;
  /** When the index answers the query exactly (nothing left for mingo): the count in SQL alone. */
  count?: { sql: string; params: Buffer[] };
  /** geoNear's walk outwards (geoindex.ts): read round by round instead of `sql`, nearest first. */
  rounds?: () => Iterable<Round>;
}

/** One round of a geo walk: after its rows, every match within `within` metres has been read. */
export interface Round {
  plan: Plan;
  within: number;
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);

/**
 * The key range the bounds on one field allow. On a multikey index each bound may be met by a
 * different array element (MongoDB does not intersect them either), and bounds of different types
 * cannot be intersected at all: then only the first bound is used, which still selects a superset.
 */
function rangeOf(bounds: Bound[], multikey: boolean): Range {
  const sameType = bounds.every((b) => b.typeLo.equals(bounds[0].typeLo));
  const usable = multikey || !sameType ? bounds.slice(0, 1) : bounds;
  const r: Range = {};
  for (const b of usable) {
    if (b.op === '$gt' || b.op === '$gte') {
      r.lo = tighter(r.lo, { key: b.key, incl: b.op === '$gte' }, true);
      r.hi ??= { key: b.typeHi, incl: false };
    } else {
      r.hi = tighter(r.hi, { key: b.key, incl: b.op === '$lte' }, false);
      r.lo ??= { key: b.typeLo, incl: true };
    }
  }
  return r;
}

function tighter(a: { key: Buffer; incl: boolean } | undefined, b: { key: Buffer; incl: boolean }, lower: boolean) {
  if (!a) return b;
  const c = Buffer.compare(a.key, b.key);
  if (c === 0) return a.incl && !b.incl ? b : a;
  return (lower ? c > 0 : c < 0) ? a : b;
}

/** How far the pushed conditions account for the whole query (for counting in SQL alone). */
interface Coverage {
  /** False once any part of the query is left to mingo (an operator, a regex, a repeated field…). */
  exact: boolean;
}

function addCond(conds: Map<string, FieldCond>, field: string, value: unknown, cover: Coverage): void {
  if (conds.has(field)) cover.exact = false; // the same field twice: only the first condition is used
  const c = conds.get(field) ?? {};
  if (isScalar(value)) {
    c.eq ??= [encodeKey(value)];
  } else if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RegExp)) {
    const ops = Object.entries(value as Doc);
    if (ops.length === 0 || !ops.every(([k]) => k.startsWith('$'))) {
      cover.exact = false;
      return;
    }
    for (const [op, operand] of ops) {
      if (op === '$eq' && isScalar(operand) && !c.eq) c.eq = [encodeKey(operand)];
      else if (op === '$in' && Array.isArray(operand) && operand.length > 0 && operand.every(isScalar) && !c.eq) {
        c.eq = operand.map(encodeKey);
      } else if (RANGE_OPS.has(op) && isScalar(operand) && typeof operand !== 'boolean') {
        const [typeLo, typeHi] = typeBounds(operand as Scalar);
        (c.bounds ??= []).push({ op: op as Bound['op'], key: encodeKey(operand), typeLo, typeHi });
      } else cover.exact = false;
    }
    if (c.eq && c.bounds) cover.exact = false; // equality wins; the bounds are left to mingo
  } else {
    cover.exact = false;
    return;
  }
  conds.set(field, c);
}

export function extractConditions(
  query: Doc,
  conds = new Map<string, FieldCond>(),
  cover: Coverage = { exact: true },
): Map<string, FieldCond> {
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) {
        if (clause && typeof clause === 'object' && !Array.isArray(clause))
          extractConditions(clause as Doc, conds, cover);
        else cover.exact = false;
      }
    } else if (key.startsWith('$')) cover.exact = false;
    else addCond(conds, key, value, cover);
  }
  return conds;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function plan(collTable: string, indexes: IndexMeta[], query: Doc, sort: SortSpec): Plan {
  const cover: Coverage = { exact: true };
  const conds = extractConditions(query, new Map(), cover);
  const fields = [...conds.keys()];
  const full = (): Plan => ({
    sql: `SELECT id, body FROM ${quote(collTable)} ORDER BY rowid`,
    params: [],
    ordered: sort.length === 0,
    mayRepeat: false,
    index: '(scan)',
    count:
      cover.exact && fields.length === 0
        ? { sql: `SELECT COUNT(*) AS n FROM ${quote(collTable)}`, params: [] }
        : undefined,
  });

  const idCond = conds.get('_id');
  const onlyId = cover.exact && fields.length === 1;
  const sortById = sort.length === 1 && sort[0][0] === '_id' ? (sort[0][1] === 1 ? 'ASC' : 'DESC') : null;
  if (idCond?.eq) {
    const where = `WHERE id IN (${idCond.eq.map(() => '?').join(',')})`;
    return {
      sql: `SELECT id, body FROM ${quote(collTable)} ${where}`,
      params: idCond.eq,
      ordered: sort.length === 0 || idCond.eq.length === 1,
      mayRepeat: false,
      index: '_id',
      count: onlyId ? { sql: `SELECT COUNT(*) AS n FROM ${quote(collTable)} ${where}`, params: idCond.eq } : undefined,
    };
  }
  if (idCond?.bounds) {
    // _id is never an array: its bounds can be intersected, and its own index serves the range.
    const { lo, hi } = rangeOf(idCond.bounds, false);
    const where = [lo && `id ${lo.incl ? '>=' : '>'} ?`, hi && `id ${hi.incl ? '<=' : '<'} ?`]
      .filter(Boolean)
      .join(' AND ');
    const params = [lo?.key, hi?.key].filter((k): k is Buffer => !!k);
    const sameType = idCond.bounds.every((b) => b.typeLo.equals(idCond.bounds![0].typeLo));
    return {
      sql: `SELECT id, body FROM ${quote(collTable)} WHERE ${where}${sortById ? ` ORDER BY id ${sortById}` : ''}`,
      params,
      ordered: sort.length === 0 || !!sortById,
      mayRepeat: false,
      index: '_id',
      count:
        onlyId && sameType
          ? { sql: `SELECT COUNT(*) AS n FROM ${quote(collTable)} WHERE ${where}`, params }
          : undefined,
    };
  }

  interface Use {
    ix: IndexMeta;
    where: string[];
    params: Buffer[];
    score: number;
    /** Fields pinned to one value by equality: an array there yields one entry per document. */
    pinned: Set<string>;
    /** The fields whose whole condition the index serves. */
    served: Set<string>;
  }
  /** Each document appears once when every field that held arrays is pinned to a single value. */
  const once = (ix: IndexMeta, pinned: Set<string>) => ix.multikeyFields.every((f) => pinned.has(f));

  const sortColumns = (ix: IndexMeta, pinned: Set<string>): string[] | undefined => {
    if (sort.length === 0 || !once(ix, pinned)) return undefined;
    const cols: string[] = [];
    for (const [field, dir] of sort) {
      const i = ix.fields.findIndex((f) => f.field === field);
      if (i < 0) return undefined;
      cols.push(`x.k${i} ${dir === 1 ? 'ASC' : 'DESC'}`);
    }
    return cols;
  };

  let best: Use | undefined;
  for (const ix of indexes) {
    const use: Use = { ix, where: [], params: [], score: 0, pinned: new Set(), served: new Set() };
    for (let i = 0; i < ix.fields.length; i += 1) {
      const field = ix.fields[i].field;
      const c = conds.get(field);
      if (c?.eq) {
        use.where.push(`x.k${i} IN (${c.eq.map(() => '?').join(',')})`);
        use.params.push(...c.eq);
        use.score += 2;
        if (c.eq.length === 1) use.pinned.add(field);
        if (!c.bounds) use.served.add(field);
        continue;
      }
      if (c?.bounds) {
        const multikey = ix.multikeyFields.includes(field);
        const { lo, hi } = rangeOf(c.bounds, multikey);
        if (lo) {
          use.where.push(`x.k${i} ${lo.incl ? '>=' : '>'} ?`);
          use.params.push(lo.key);
        }
        if (hi) {
          use.where.push(`x.k${i} ${hi.incl ? '<=' : '<'} ?`);
          use.params.push(hi.key);
        }
        use.score += 1;
        const sameType = c.bounds.every((b) => b.typeLo.equals(c.bounds![0].typeLo));
        if (sameType && (!multikey || c.bounds.length === 1)) use.served.add(field);
      }
      break;
    }
    if (use.score === 0) continue;
    // Ties go to the index that also serves the sort, then a unique one, then the narrower one.
    const sorts = (u: Use) => sortColumns(u.ix, u.pinned) !== undefined;
    const better =
      !best ||
      use.score > best.score ||
      (use.score === best.score && sorts(use) && !sorts(best)) ||
      (use.score === best.score && sorts(use) === sorts(best) && ix.unique && !best.ix.unique) ||
      (use.score === best.score &&
        sorts(use) === sorts(best) &&
        ix.unique === best.ix.unique &&
        ix.fields.length < best.ix.fields.length);
    if (better) best = use;
  }

  if (!best) {
    if (sortById) {
      return {
        sql: `SELECT id, body FROM ${quote(collTable)} ORDER BY id ${sortById}`,
        params: [],
        ordered: true,
        mayRepeat: false,
        index: '_id',
        count: full().count,
      };
    }
    // No index narrows the query; one that holds the sort fields still lets us stop early.
    for (const ix of indexes) {
      const cols = sortColumns(ix, new Set());
      if (!cols) continue;
      return {
        sql: `SELECT c.id, c.body FROM ${quote(ix.table)} x JOIN ${quote(collTable)} c ON c.id = x.id ORDER BY ${cols.join(', ')}`,
        params: [],
        ordered: true,
        mayRepeat: false,
        index: ix.name,
        count: full().count,
      };
    }
    return full();
  }

  const cols = sortColumns(best.ix, best.pinned);
  const where = ` WHERE ${best.where.join(' AND ')}`;
  const exact = cover.exact && fields.every((f) => best!.served.has(f));
  return {
    sql:
      `SELECT c.id, c.body FROM ${quote(best.ix.table)} x JOIN ${quote(collTable)} c ON c.id = x.id` +
      where +
      (cols ? ` ORDER BY ${cols.join(', ')}` : ''),
    params: best.params,
    ordered: sort.length === 0 || cols !== undefined,
    mayRepeat: !once(best.ix, best.pinned),
    index: best.ix.name,
    count: exact
      ? { sql: `SELECT COUNT(DISTINCT x.id) AS n FROM ${quote(best.ix.table)} x${where}`, params: best.params }
      : undefined,
  };
}
