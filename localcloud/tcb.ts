/**
 * The tcb API (`POST /admin`) as wx-server-sdk and @cloudbase/node-sdk speak it: one `action` per
 * request, EJSON strings for queries and documents, answers shaped like CloudBase's
 * (`{ requestId, data: … }` or `{ requestId, code, message }`).
 */
import { randomBytes } from 'node:crypto';
import type { Engine, UpdateSpec } from './db/engine';
import { DEFAULT_LIMIT, MAX_LIMIT } from './db/engine';
import { parseEJSON, toWire, type Doc } from './db/ejson';
import { TcbError, invalid } from './db/errors';
import type { SortSpec } from './db/planner';
import type { Storage } from './storage';
import type { Quota } from './quota';

export type Params = Record<string, unknown>;

export interface TcbContext {
  engine: Engine;
  /** Quotas to enforce (LOCALCLOUD_QUOTA=base), or null. */
  quota?: Quota | null;
  storage: Storage;
  now: () => number;
  /** functions.invokeFunction: runs another function as the same caller. */
  invoke: (
    name: string,
    event: unknown,
    callerToken: string,
  ) => Promise<{ ok: boolean; result?: unknown; error?: string; busy?: boolean }>;
}

export type TcbAnswer = Record<string, unknown>;

const requestId = (): string => randomBytes(8).toString('hex');

/**
 * What aggregate().end() answers without a .limit(): WeChat developer community reports say
 * CloudBase returns only 20 results in cloud functions — reported, not documented. The stand-in
 * truncates the same way, so code that works here does not silently lose results in production.
 */
export const AGGREGATE_DEFAULT_LIMIT = 20;

function str(p: Params, key: string, required = true): string {
  const v = p[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(`missing parameter ${key}`);
    return '';
  }
  if (typeof v !== 'string') throw invalid(`parameter ${key} must be a string`);
  return v;
}

function num(p: Params, key: string, fallback: number): number {
  const v = p[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw invalid(`parameter ${key} must be a non-negative integer`);
  return n;
}

function bool(p: Params, key: string, fallback: boolean): boolean {
  const v = p[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalid(`parameter ${key} must be a boolean`);
}

function asDoc(v: unknown, what: string): Doc {
  if (v === undefined) return {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(`${what} must be an object`);
  return v as Doc;
}

function query(ctx: TcbContext, p: Params): Doc {
  return asDoc(parseEJSON(p.query, 'query', ctx.now), 'query');
}

function sortSpec(ctx: TcbContext, p: Params): SortSpec {
  const order = asDoc(parseEJSON(p.order, 'order', ctx.now), 'order');
  return Object.entries(order).map(([field, dir]) => {
    if (dir !== 1 && dir !== -1) throw invalid(`sort direction of ${field} must be 1 or -1`);
    return [field, dir];
  });
}

/** The single document id a DOC query or a legacy transaction call names; undefined for any other query. */
function singleId(ctx: TcbContext, p: Params): unknown {
  if (p._id !== undefined) return p._id;
  const q = typeof p.query === 'string' ? query(ctx, p) : asDoc(p.query, 'query');
  if (Object.keys(q).length !== 1) return undefined;
  const id = q._id;
  if (id && typeof id === 'object' && '$eq' in (id as Doc)) return (id as Doc).$eq;
  if (id === undefined || (typeof id === 'object' && id !== null && !(id instanceof Date))) return undefined;
  return id;
}

/** Transactional writes (update, set, remove) address one document by _id, as the SDK's doc() sends them. */
function docId(ctx: TcbContext, p: Params): unknown {
  const id = singleId(ctx, p);
  if (id === undefined) throw invalid('a transaction writes one document at a time, by _id');
  return id;
}

function updateSpec(ctx: TcbContext, p: Params): Omit<UpdateSpec, 'query'> {
  const data = asDoc(parseEJSON(p.data, 'data', ctx.now), 'data');
  return {
    update: data,
    multi: bool(p, 'multi', false),
    upsert: bool(p, 'upsert', false),
    merge: bool(p, 'merge', true),
  };
}

const isOperatorDoc = (d: Doc): boolean => Object.keys(d).length > 0 && Object.keys(d).every((k) => k.startsWith('$'));

type Handler = (ctx: TcbContext, p: Params) => TcbAnswer | Promise<TcbAnswer>;

const handlers: Record<string, Handler> = {
  'database.addCollection': (ctx, p) => {
    ctx.engine.createCollection(str(p, 'collectionName'));
    return {};
  },

  'database.getDocument': (ctx, p) => {
    const coll = str(p, 'collectionName');
    const txId = str(p, 'transactionId', false);
    const id = txId ? singleId(ctx, p) : undefined;
    if (txId && id !== undefined) {
      const doc = ctx.engine.txGet(txId, coll, id);
      return { data: { list: doc ? [toWire(doc)] : [] } };
    }
    const offset = num(p, 'offset', 0);
    const limit = num(p, 'limit', DEFAULT_LIMIT);
    if (limit > MAX_LIMIT) throw invalid(`limit must not exceed ${MAX_LIMIT}`);
    const projection = asDoc(parseEJSON(p.projection, 'projection', ctx.now), 'projection');
    const spec = { query: query(ctx, p), sort: sortSpec(ctx, p), skip: offset, limit, projection };
    const docs = txId ? ctx.engine.txFind(txId, coll, spec) : ctx.engine.find(coll, spec);
    return { data: { list: docs.map(toWire), offset, limit } };
  },

  'database.calculateDocument': (ctx, p) => ({
    data: { total: ctx.engine.count(str(p, 'collectionName'), query(ctx, p)) },
  }),

  'database.insertDocument': (ctx, p) => {
    const coll = str(p, 'collectionName');
    const raw = Array.isArray(p.data) ? p.data : [p.data];
    const docs = raw.map((d) => asDoc(parseEJSON(d, 'data', ctx.now), 'data'));
    const txId = str(p, 'transactionId', false);
    if (txId) {
      if (docs.length === 0) throw invalid('nothing to insert');
      return { data: { insertedIds: docs.map((d) => ctx.engine.txInsert(txId, coll, d)) } };
    }
    return { data: { insertedIds: ctx.engine.insert(coll, docs) } };
  },

  'database.modifyDocument': (ctx, p) => {
    const coll = str(p, 'collectionName');
    const spec = updateSpec(ctx, p);
    const txId = str(p, 'transactionId', false);
    const r = txId
      ? ctx.engine.txUpdate(txId, coll, docId(ctx, p), spec)
      : ctx.engine.update(coll, { ...spec, query: query(ctx, p) });
    return { data: { updated: r.updated, upsert_id: r.upsertedId } };
  },

  'database.modifyAndReturnDoc': (ctx, p) => {
    const coll = str(p, 'collectionName');
    const txId = str(p, 'transactionId', false);
    const spec = { ...updateSpec(ctx, p), query: query(ctx, p), multi: false };
    const r = txId ? ctx.engine.txFindOneAndUpdate(txId, coll, spec) : ctx.engine.findOneAndUpdate(coll, spec);
    return { data: { updated: r.updated, doc: r.doc ? toWire(r.doc) : null } };
  },

  'database.removeDocument': (ctx, p) => {
    const coll = str(p, 'collectionName');
    const txId = str(p, 'transactionId', false);
    const deleted = txId
      ? ctx.engine.txRemove(txId, coll, docId(ctx, p))
      : ctx.engine.remove(coll, query(ctx, p), bool(p, 'multi', false));
    return { data: { deleted } };
  },

  'database.aggregateDocuments': (ctx, p) => {
    const coll = str(p, 'collectionName');
    if (!Array.isArray(p.stages)) throw invalid('stages must be an array');
    const pipeline = p.stages.map((s: unknown) => {
      const stage = asDoc(s, 'stage');
      const key = str(stage, 'stageKey');
      if (!key.startsWith('$')) throw invalid(`unknown stage ${key}`);
      return { [key]: parseEJSON(stage.stageValue, key, ctx.now) } as Doc;
    });
    if (!pipeline.some((stage) => '$limit' in stage)) pipeline.push({ $limit: AGGREGATE_DEFAULT_LIMIT });
    return { data: { list: ctx.engine.aggregate(coll, pipeline).map(toWire) } };
  },

  'database.startTransaction': (ctx) => ({ transactionId: ctx.engine.startTransaction() }),

  'database.commitTransaction': (ctx, p) => {
    ctx.engine.commit(str(p, 'transactionId'));
    return {};
  },

  'database.abortTransaction': (ctx, p) => {
    ctx.engine.abort(str(p, 'transactionId'));
    return {};
  },

  // The transaction actions of earlier SDK versions (@cloudbase/database < 1.4).
  'database.getInTransaction': (ctx, p) => {
    const doc = ctx.engine.txGet(str(p, 'transactionId'), str(p, 'collectionName'), docId(ctx, p));
    return { data: doc ? toWire(doc) : 'null' };
  },

  'database.insertDocInTransaction': (ctx, p) => {
    const doc = asDoc(parseEJSON(p.data, 'data', ctx.now), 'data');
    if (p._id !== undefined) doc._id = p._id;
    ctx.engine.txInsert(str(p, 'transactionId'), str(p, 'collectionName'), doc);
    return { inserted: '1', ok: '1' };
  },

  'database.updateDocInTransaction': (ctx, p) => {
    const data = asDoc(parseEJSON(p.data, 'data', ctx.now), 'data');
    const merge = isOperatorDoc(data);
    const r = ctx.engine.txUpdate(str(p, 'transactionId'), str(p, 'collectionName'), docId(ctx, p), {
      update: data,
      merge,
      upsert: bool(p, 'upsert', false),
    });
    return {
      updated: String(r.updated),
      upserted: r.upsertedId === undefined ? null : JSON.stringify([{ _id: r.upsertedId }]),
    };
  },

  'database.deleteDocInTransaction': (ctx, p) => ({
    deleted: String(ctx.engine.txRemove(str(p, 'transactionId'), str(p, 'collectionName'), docId(ctx, p))),
  }),

  'storage.getUploadMetadata': (ctx, p) => ({ data: ctx.storage.uploadMetadata(str(p, 'path'), ctx.now()) }),

  'storage.batchGetDownloadUrl': (ctx, p) => {
    if (!Array.isArray(p.file_list)) throw invalid('file_list must be an array');
    return {
      data: {
        download_list: ctx.storage.getTempUrls(p.file_list as { fileid: string; max_age?: number }[], ctx.now()),
      },
    };
  },

  'storage.batchDeleteFile': (ctx, p) => {
    if (!Array.isArray(p.fileid_list)) throw invalid('fileid_list must be an array');
    return { data: { delete_list: ctx.storage.remove(p.fileid_list as string[]) } };
  },

  'functions.invokeFunction': async (ctx, p) => {
    const name = str(p, 'function_name');
    let event: unknown = {};
    try {
      event = p.request_data ? JSON.parse(str(p, 'request_data')) : {};
    } catch {
      throw invalid('request_data must be JSON');
    }
    const r = await ctx.invoke(name, event, String(p.wxCloudApiToken ?? ''));
    if (r.busy) throw new TcbError('EXCEED_CONCURRENT_REQUEST_LIMIT', r.error ?? 'exceed concurrent request limit');
    if (!r.ok) throw new TcbError('FUNCTIONS_EXECUTE_FAIL', r.error ?? 'function failed');
    return { data: { response_data: JSON.stringify(r.result) } };
  },
};

export const TCB_ACTIONS = Object.keys(handlers);

/** Answers one tcb request; every failure becomes a CloudBase-shaped error, never an exception. */
export async function handleTcb(ctx: TcbContext, p: Params): Promise<TcbAnswer> {
  const rid = requestId();
  try {
    const action = p.action;
    if (typeof action !== 'string' || !action) throw invalid('missing parameter action');
    const handler = handlers[action];
    if (!handler) throw new TcbError('INVALID_ACTION', `unknown action ${action}`);
    if (ctx.quota && action.startsWith('database.')) {
      const refused = ctx.quota.spendDatabaseOperation();
      if (refused) throw refused;
    }
    return { requestId: rid, ...(await handler(ctx, p)) };
  } catch (e) {
    if (e instanceof TcbError) return { requestId: rid, code: e.code, message: e.message };
    return { requestId: rid, code: 'DATABASE_REQUEST_FAILED', message: (e as Error).message };
  }
}
