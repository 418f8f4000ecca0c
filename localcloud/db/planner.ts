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
  multikey: boolean;
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
  params: Buffer[];
  /** The candidates arrive in the requested sort order (or no sort was requested). */
  ordered: boolean;
  /** A multikey index can return one document several times. */
  mayRepeat: boolean;
  index: string;
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

function addCond(conds: Map<string, FieldCond>, field: string, value: unknown): void {
  const c = conds.get(field) ?? {};
  if (isScalar(value)) {
    c.eq ??= [encodeKey(value)];
  } else if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RegExp)) {
    const ops = Object.entries(value as Doc);
    if (ops.length === 0 || !ops.every(([k]) => k.startsWith('$'))) return;
    for (const [op, operand] of ops) {
      if (op === '$eq' && isScalar(operand)) c.eq ??= [encodeKey(operand)];
      else if (op === '$in' && Array.isArray(operand) && operand.length > 0 && operand.every(isScalar)) {
        c.eq ??= operand.map(encodeKey);
      } else if (RANGE_OPS.has(op) && isScalar(operand) && typeof operand !== 'boolean') {
        const [typeLo, typeHi] = typeBounds(operand as Scalar);
        (c.bounds ??= []).push({ op: op as Bound['op'], key: encodeKey(operand), typeLo, typeHi });
      }
    }
  } else return;
  conds.set(field, c);
}

export function extractConditions(query: Doc, conds = new Map<string, FieldCond>()): Map<string, FieldCond> {
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (clause && typeof clause === 'object') extractConditions(clause as Doc, conds);
    } else if (!key.startsWith('$')) addCond(conds, key, value);
  }
  return conds;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function plan(collTable: string, indexes: IndexMeta[], query: Doc, sort: SortSpec): Plan {
  const conds = extractConditions(query);
  const full = (): Plan => ({
    sql: `SELECT id, body FROM ${quote(collTable)} ORDER BY rowid`,
    params: [],
    ordered: sort.length === 0,
    mayRepeat: false,
    index: '(scan)',
  });

  const idCond = conds.get('_id');
  const sortById = sort.length === 1 && sort[0][0] === '_id' ? (sort[0][1] === 1 ? 'ASC' : 'DESC') : null;
  if (idCond?.eq) {
    return {
      sql: `SELECT id, body FROM ${quote(collTable)} WHERE id IN (${idCond.eq.map(() => '?').join(',')})`,
      params: idCond.eq,
      ordered: sort.length === 0 || idCond.eq.length === 1,
      mayRepeat: false,
      index: '_id',
    };
  }
  if (idCond?.bounds) {
    // _id is never an array: its bounds can be intersected, and its own index serves the range.
    const { lo, hi } = rangeOf(idCond.bounds, false);
    const where = [lo && `id ${lo.incl ? '>=' : '>'} ?`, hi && `id ${hi.incl ? '<=' : '<'} ?`].filter(Boolean);
    return {
      sql: `SELECT id, body FROM ${quote(collTable)} WHERE ${where.join(' AND ')}${sortById ? ` ORDER BY id ${sortById}` : ''}`,
      params: [lo?.key, hi?.key].filter((k): k is Buffer => !!k),
      ordered: sort.length === 0 || !!sortById,
      mayRepeat: false,
      index: '_id',
    };
  }

  let best: { ix: IndexMeta; where: string[]; params: Buffer[]; score: number } | undefined;
  for (const ix of indexes) {
    const where: string[] = [];
    const params: Buffer[] = [];
    let score = 0;
    for (let i = 0; i < ix.fields.length; i += 1) {
      const c = conds.get(ix.fields[i].field);
      if (c?.eq) {
        where.push(`x.k${i} IN (${c.eq.map(() => '?').join(',')})`);
        params.push(...c.eq);
        score += 2;
        continue;
      }
      if (c?.bounds) {
        const { lo, hi } = rangeOf(c.bounds, ix.multikey);
        if (lo) {
          where.push(`x.k${i} ${lo.incl ? '>=' : '>'} ?`);
          params.push(lo.key);
        }
        if (hi) {
          where.push(`x.k${i} ${hi.incl ? '<=' : '<'} ?`);
          params.push(hi.key);
        }
        score += 1;
      }
      break;
    }
    if (score === 0) continue;
    const better =
      !best ||
      score > best.score ||
      (score === best.score && ix.unique && !best.ix.unique) ||
      (score === best.score && ix.unique === best.ix.unique && ix.fields.length < best.ix.fields.length);
    if (better) best = { ix, where, params, score };
  }

  const sortColumns = (ix: IndexMeta): string[] | undefined => {
    if (ix.multikey || sort.length === 0) return undefined;
    const cols: string[] = [];
    for (const [field, dir] of sort) {
      const i = ix.fields.findIndex((f) => f.field === field);
      if (i < 0) return undefined;
      cols.push(`x.k${i} ${dir === 1 ? 'ASC' : 'DESC'}`);
    }
    return cols;
  };

  if (!best) {
    if (sortById) {
      return {
        sql: `SELECT id, body FROM ${quote(collTable)} ORDER BY id ${sortById}`,
        params: [],
        ordered: true,
        mayRepeat: false,
        index: '_id',
      };
    }
    // No index narrows the query; one that holds the sort fields still lets us stop early.
    for (const ix of indexes) {
      const cols = sortColumns(ix);
      if (!cols) continue;
      return {
        sql: `SELECT c.id, c.body FROM ${quote(ix.table)} x JOIN ${quote(collTable)} c ON c.id = x.id ORDER BY ${cols.join(', ')}`,
        params: [],
        ordered: true,
        mayRepeat: false,
        index: ix.name,
      };
    }
    return full();
  }

  const cols = sortColumns(best.ix);
  return {
    sql:
      `SELECT c.id, c.body FROM ${quote(best.ix.table)} x JOIN ${quote(collTable)} c ON c.id = x.id` +
      ` WHERE ${best.where.join(' AND ')}` +
      (cols ? ` ORDER BY ${cols.join(', ')}` : ''),
    params: best.params,
    ordered: sort.length === 0 || cols !== undefined,
    mayRepeat: best.ix.multikey,
    index: best.ix.name,
  };
}
