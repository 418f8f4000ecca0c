/**
 * The database's shapes and the checks every write passes (field names, update documents, geo fields),
 * shared by the store, the document operations and the transactions.
 */
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'bson';
import type { Criteria } from 'mingo/types';
import { encodeKey, valuesAtPath } from './keys';
import { fromStorage, toStorage, type Doc } from './ejson';
import { TcbError, invalid } from './errors';
import { asGeometry } from './geo';
import { MINGO, Query } from './operators';
import type { SortSpec } from './planner';

export interface IndexDef {
  name: string;
  /** 1 / -1 for a B-tree key; '2dsphere' for a geo index (one such field, GeoJSON values; others 1 / -1). */
  keys: Record<string, 1 | -1 | '2dsphere'>;
  unique?: boolean;
}

export const isGeoDef = (def: IndexDef): boolean => Object.values(def.keys).includes('2dsphere');

export interface CollectionDef {
  name: string;
  indexes?: IndexDef[];
}

export interface FindSpec {
  query: Doc;
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Doc;
}

export interface UpdateSpec {
  query: Doc;
  /** An operator document ($set, $inc, …) when `merge`, else a replacement document. */
  update: Doc;
  multi: boolean;
  upsert: boolean;
  merge: boolean;
}

export interface Row {
  id: Buffer;
  body: string;
}

export interface Staged {
  coll: string;
  id: unknown;
  key: string;
  /** The document after the transaction's writes, or null once it deletes it. */
  doc: Doc | null;
}

export interface Transaction {
  id: string;
  startSeq: number;
  startedAt: number;
  writes: Map<string, Staged>;
}

/** CloudBase drops a transaction that is neither committed nor aborted within 30 seconds. */
export const TRANSACTION_TTL_MS = 30_000;
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

export const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const docKey = (coll: string, id: Buffer): string => `${coll}\u0000${id.toString('hex')}`;

/** CloudBase's ids are 32 hex characters. */
export const newId = (): string => randomBytes(16).toString('hex');

export function compile(query: Doc): Query {
  try {
    return new Query(query as Criteria<Doc>, MINGO);
  } catch (e) {
    throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid query: ${(e as Error).message}`);
  }
}

export function isOperatorDoc(d: Doc): boolean {
  const keys = Object.keys(d);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

/** A document whose geo-indexed field holds something other than GeoJSON is refused, as MongoDB does. */
export function checkGeo(coll: string, defs: IndexDef[], doc: Doc): void {
  for (const def of defs) {
    for (const field of Object.keys(def.keys).filter((f) => def.keys[f] === '2dsphere')) {
      for (const v of valuesAtPath(doc, field).values) {
        if (v !== null && v !== undefined && !asGeometry(v)) {
          throw new TcbError(
            'DATABASE_REQUEST_FAILED',
            `Can't extract geo keys: ${coll}.${def.name}: ${field} is not a valid GeoJSON geometry: ${JSON.stringify(v)}`,
          );
        }
      }
    }
  }
}

export function isOperatorValue(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && isOperatorDoc(v as Doc);
}

export function sameId(a: unknown, b: unknown): boolean {
  return encodeKey(a).equals(encodeKey(b));
}

export function structuredCloneDoc(doc: Doc): Doc {
  return fromStorage(toStorage(doc));
}

export function checkFieldNames(doc: unknown, depth = 0): void {
  if (depth > 100) throw invalid('document is nested too deeply');
  if (Array.isArray(doc)) {
    for (const x of doc) checkFieldNames(x, depth + 1);
    return;
  }
  if (!doc || typeof doc !== 'object' || doc instanceof Date || doc instanceof ObjectId || doc instanceof RegExp)
    return;
  for (const [k, v] of Object.entries(doc as Doc)) {
    // MongoDB's refusal, passed through by CloudBase as a database error (-502001), not a parameter error.
    if (k.startsWith('$')) {
      throw new TcbError('DATABASE_REQUEST_FAILED', `Document can't have $ prefixed field names: ${k}`);
    }
    checkFieldNames(v, depth + 1);
  }
}

export function validateUpdate(spec: UpdateSpec): void {
  if (!spec.update || typeof spec.update !== 'object' || Array.isArray(spec.update)) {
    throw invalid('update data must be an object');
  }
  if (spec.merge) {
    if (!isOperatorDoc(spec.update))
      throw new TcbError('DATABASE_INVALID_OPERRATOR', 'update data must use update operators');
  } else {
    checkFieldNames(spec.update);
  }
}
