/**
 * The local cloud's document database: SQLite (better-sqlite3) stores the documents, keeps one table
 * per declared index (so uniqueness and range scans are SQLite's B-trees), and makes every write
 * atomic and durable; mingo evaluates MongoDB query, update and aggregation semantics on the
 * documents SQLite hands back. Calls are synchronous, so one request's read-modify-write can never
 * interleave with another's: a conditional update is settled here exactly as it is in CloudBase.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { update as applyUpdate } from 'mingo';
import type { Criteria } from 'mingo/types';
import type { Modifier } from 'mingo/updater';
import { ObjectId } from 'bson';
import { encodeKey, valuesAtPath } from './keys';
import { plan, type IndexMeta, type Plan, type SortSpec } from './planner';
import { fromStorage, toStorage, type Doc } from './ejson';
import { TcbError, duplicateKey, invalid } from './errors';
import { Aggregator, MINGO, Query } from './operators';
import { asGeometry, distanceTo, nearOf, nearSpec, noGeoIndex } from './geo';

export interface IndexDef {
  name: string;
  /** 1 / -1 for a B-tree key; '2dsphere' for a geo index (one field, GeoJSON values). */
  keys: Record<string, 1 | -1 | '2dsphere'>;
  unique?: boolean;
}

const isGeoDef = (def: IndexDef): boolean => Object.values(def.keys).includes('2dsphere');

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

interface Row {
  id: Buffer;
  body: string;
}

interface Staged {
  coll: string;
  id: unknown;
  key: string;
  /** The document after the transaction's writes, or null once it deletes it. */
  doc: Doc | null;
}

interface Transaction {
  id: string;
  startSeq: number;
  startedAt: number;
  writes: Map<string, Staged>;
}

/** CloudBase drops a transaction that is neither committed nor aborted within 30 seconds. */
export const TRANSACTION_TTL_MS = 30_000;
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const docKey = (coll: string, id: Buffer): string => `${coll}\u0000${id.toString('hex')}`;

/** CloudBase's ids are 32 hex characters. */
export const newId = (): string => randomBytes(16).toString('hex');

function compile(query: Doc): Query {
  try {
    return new Query(query as Criteria<Doc>, MINGO);
  } catch (e) {
    throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid query: ${(e as Error).message}`);
  }
}

function isOperatorDoc(d: Doc): boolean {
  const keys = Object.keys(d);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

export class Engine {
  readonly db: Database.Database;
  private readonly indexes = new Map<string, IndexMeta[]>();
  /** 2dsphere indexes: no table of keys, they vouch that the field holds GeoJSON and allow $geoNear. */
  private readonly geoIndexes = new Map<string, IndexDef[]>();
  private seq: number;
  private readonly txs = new Map<string, Transaction>();
  /** Pre-images of documents written while transactions are open: newRev → body before it. */
  private readonly history = new Map<string, { newRev: number; body: string | null }[]>();
  private readonly stmts = new Map<string, Database.Statement>();
  /** How long an open transaction lives; tests shorten it rather than wait 30 seconds. */
  transactionTtlMs = TRANSACTION_TTL_MS;

  /**
   * `now` times transactions, so it is real time: never the local cloud's movable clock, which
   * would expire every open transaction when moved forward and keep them forever when moved back.
   */
  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'cloud.sqlite'));
    // WAL with synchronous=NORMAL: a committed write survives the process being killed (kill -9);
    // only a power cut can lose the last transactions, which a development stand-in can accept.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS _indexes (
        coll TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, multikey INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (coll, name));
    `);
    const row = this.db.prepare(`SELECT value FROM _meta WHERE key = 'seq'`).get() as { value: string } | undefined;
    this.seq = row ? Number(row.value) : 0;
    for (const { name } of this.db.prepare('SELECT name FROM _collections').all() as { name: string }[]) {
      this.indexes.set(name, []);
    }
    for (const r of this.db.prepare('SELECT coll, name, spec, multikey FROM _indexes').all() as {
      coll: string;
      name: string;
      spec: string;
      multikey: number;
    }[]) {
      const def = JSON.parse(r.spec) as IndexDef;
      if (isGeoDef(def)) this.geoIndexes.set(r.coll, [...this.geoIndexesOf(r.coll), def]);
      else this.indexes.get(r.coll)?.push(this.meta(r.coll, def, r.multikey));
    }
  }

  close(): void {
    this.db.close();
  }

  /** The number of committed writes so far: unchanged across a request means it wrote nothing. */
  revision(): number {
    return this.seq;
  }

  // ── collections and indexes ────────────────────────────────────────────────────────────────

  collections(): string[] {
    return [...this.indexes.keys()].sort();
  }

  hasCollection(name: string): boolean {
    return this.indexes.has(name);
  }

  createCollection(name: string): void {
    if (!COLLECTION_NAME.test(name)) throw invalid(`invalid collection name: ${name}`);
    if (this.indexes.has(name)) {
      throw new TcbError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`);
    }
    this.db.transaction(() => {
      this.db.exec(
        `CREATE TABLE ${quote(`c:${name}`)} (id BLOB NOT NULL UNIQUE, rev INTEGER NOT NULL, body TEXT NOT NULL)`,
      );
      this.db.prepare('INSERT INTO _collections (name) VALUES (?)').run(name);
    })();
    this.indexes.set(name, []);
  }

  /** Makes the collections and indexes match the project's definitions (creates, rebuilds, drops). */
  applyDefinitions(defs: CollectionDef[]): void {
    for (const def of defs) {
      if (!this.indexes.has(def.name)) this.createCollection(def.name);
      const wanted = new Map((def.indexes ?? []).map((ix) => [ix.name, ix]));
      for (const ix of [...(this.indexes.get(def.name) ?? [])]) {
        const want = wanted.get(ix.name);
        const same =
          want &&
          JSON.stringify(want.keys) === JSON.stringify(Object.fromEntries(ix.fields.map((f) => [f.field, f.dir]))) &&
          !!want.unique === ix.unique;
        if (!same) this.dropIndex(def.name, ix.name);
      }
      for (const ix of this.geoIndexesOf(def.name)) {
        const want = wanted.get(ix.name);
        if (!want || JSON.stringify(want.keys) !== JSON.stringify(ix.keys)) this.dropIndex(def.name, ix.name);
      }
      for (const ix of def.indexes ?? []) {
        const exists =
          this.indexes.get(def.name)?.some((m) => m.name === ix.name) ||
          this.geoIndexesOf(def.name).some((g) => g.name === ix.name);
        if (!exists) this.createIndex(def.name, ix);
      }
    }
  }

  /**
   * `multikey` as stored: 0 none; otherwise (mask << 1) | 1, the mask's bit i set when field i held an
   * array. A bare 1 (written by earlier versions, before fields were told apart) means all fields.
   */
  private meta(coll: string, def: IndexDef, multikey: number): IndexMeta {
    const fields = Object.entries(def.keys).map(([field, dir]) => ({ field, dir: (dir === -1 ? -1 : 1) as 1 | -1 }));
    const mask = multikey === 1 ? (1 << fields.length) - 1 : multikey >> 1;
    const multikeyFields = fields.filter((_f, i) => mask & (1 << i)).map((f) => f.field);
    return {
      name: def.name,
      fields,
      unique: !!def.unique,
      multikey: multikeyFields.length > 0,
      multikeyFields,
      table: `x:${coll}:${def.name}`,
    };
  }

  createIndex(coll: string, def: IndexDef): void {
    this.requireCollection(coll);
    if (isGeoDef(def)) {
      this.createGeoIndex(coll, def);
      return;
    }
    const ix = this.meta(coll, def, 0);
    if (ix.fields.length === 0) throw invalid(`index ${def.name} has no keys`);
    const cols = ix.fields.map((_f, i) => `k${i} BLOB`).join(', ');
    const keyCols = ix.fields.map((f, i) => `k${i} ${f.dir === -1 ? 'DESC' : 'ASC'}`).join(', ');
    const build = this.db.transaction(() => {
      this.db.exec(`CREATE TABLE ${quote(ix.table)} (id BLOB NOT NULL, ${cols})`);
      this.db.exec(
        ix.unique
          ? `CREATE UNIQUE INDEX ${quote(`${ix.table}:keys`)} ON ${quote(ix.table)} (${keyCols})`
          : `CREATE INDEX ${quote(`${ix.table}:keys`)} ON ${quote(ix.table)} (${keyCols}, id)`,
      );
      this.db.exec(`CREATE INDEX ${quote(`${ix.table}:id`)} ON ${quote(ix.table)} (id)`);
      this.db
        .prepare('INSERT INTO _indexes (coll, name, spec) VALUES (?, ?, ?)')
        .run(coll, def.name, JSON.stringify(def));
      const list = this.indexes.get(coll) ?? [];
      list.push(ix);
      this.indexes.set(coll, list);
      for (const row of this.db.prepare(`SELECT id, body FROM ${quote(`c:${coll}`)}`).iterate() as Iterable<Row>) {
        this.writeEntries(coll, ix, row.id, fromStorage(row.body));
      }
    });
    try {
      build();
    } catch (e) {
      this.indexes.set(
        coll,
        (this.indexes.get(coll) ?? []).filter((m) => m.name !== ix.name),
      );
      throw e instanceof TcbError ? e : new TcbError('DATABASE_REQUEST_FAILED', (e as Error).message);
    }
  }

  private createGeoIndex(coll: string, def: IndexDef): void {
    const fields = Object.keys(def.keys);
    if (fields.length !== 1 || def.unique)
      throw invalid(`2dsphere index ${def.name} must have one field and not be unique`);
    if (this.geoIndexesOf(coll).some((g) => g.name === def.name)) return;
    for (const row of this.db.prepare(`SELECT body FROM ${quote(`c:${coll}`)}`).iterate() as Iterable<Row>) {
      checkGeo(coll, [def], fromStorage(row.body));
    }
    this.db
      .prepare('INSERT INTO _indexes (coll, name, spec) VALUES (?, ?, ?)')
      .run(coll, def.name, JSON.stringify(def));
    this.geoIndexes.set(coll, [...this.geoIndexesOf(coll), def]);
  }

  geoIndexesOf(coll: string): IndexDef[] {
    return this.geoIndexes.get(coll) ?? [];
  }

  /** $nearSphere and $geoNear need a 2dsphere index on the field, as in MongoDB. */
  private requireGeoIndex(coll: string, field: string): void {
    if (!this.geoIndexesOf(coll).some((g) => field in g.keys)) throw noGeoIndex(coll, field);
  }

  dropIndex(coll: string, name: string): void {
    if (this.geoIndexesOf(coll).some((g) => g.name === name)) {
      this.db.prepare('DELETE FROM _indexes WHERE coll = ? AND name = ?').run(coll, name);
      this.geoIndexes.set(
        coll,
        this.geoIndexesOf(coll).filter((g) => g.name !== name),
      );
      return;
    }
    const ix = this.indexes.get(coll)?.find((m) => m.name === name);
    if (!ix) return;
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE ${quote(ix.table)}`);
      this.db.prepare('DELETE FROM _indexes WHERE coll = ? AND name = ?').run(coll, name);
    })();
    this.indexes.set(
      coll,
      (this.indexes.get(coll) ?? []).filter((m) => m.name !== name),
    );
    this.stmts.clear();
  }

  indexesOf(coll: string): IndexMeta[] {
    return this.indexes.get(coll) ?? [];
  }

  private requireCollection(coll: string): IndexMeta[] {
    const ix = this.indexes.get(coll);
    if (!ix) throw new TcbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${coll}`);
    return ix;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // ── index entries ──────────────────────────────────────────────────────────────────────────

  private entriesFor(coll: string, ix: IndexMeta, doc: Doc): { keys: Buffer[][]; mask: number } {
    let combos: Buffer[][] = [[]];
    let mask = 0;
    let arrays = 0;
    for (const [i, { field }] of ix.fields.entries()) {
      const { values, multikey: mk } = valuesAtPath(doc, field);
      const seen = new Map<string, Buffer>();
      for (const v of values) {
        const k = encodeKey(v);
        seen.set(k.toString('hex'), k);
      }
      if (mk) {
        mask |= 1 << i;
        if (seen.size > 1) arrays += 1;
      }
      if (arrays > 1) {
        throw new TcbError('DATABASE_REQUEST_FAILED', `cannot index parallel arrays in ${coll}.${ix.name}`);
      }
      const next: Buffer[][] = [];
      for (const combo of combos) for (const k of seen.values()) next.push([...combo, k]);
      combos = next;
    }
    return { keys: combos, mask };
  }

  private writeEntries(coll: string, ix: IndexMeta, id: Buffer, doc: Doc): void {
    const { keys, mask } = this.entriesFor(coll, ix, doc);
    const newFields = ix.fields.filter((f, i) => mask & (1 << i) && !ix.multikeyFields.includes(f.field));
    if (newFields.length > 0) {
      ix.multikeyFields = [...ix.multikeyFields, ...newFields.map((f) => f.field)];
      ix.multikey = true;
      const all = ix.fields.reduce((m, f, i) => (ix.multikeyFields.includes(f.field) ? m | (1 << i) : m), 0);
      this.stmt('UPDATE _indexes SET multikey = ? WHERE coll = ? AND name = ?').run((all << 1) | 1, coll, ix.name);
    }
    const insert = this.stmt(
      `INSERT INTO ${quote(ix.table)} (id, ${ix.fields.map((_f, i) => `k${i}`).join(', ')}) VALUES (?${', ?'.repeat(ix.fields.length)})`,
    );
    for (const k of keys) {
      try {
        insert.run(id, ...k);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          const dup = Object.fromEntries(ix.fields.map((f) => [f.field, valuesAtPath(doc, f.field).values[0] ?? null]));
          throw duplicateKey(coll, ix.name, dup);
        }
        throw e;
      }
    }
  }

  private deleteEntries(coll: string, id: Buffer): void {
    for (const ix of this.indexesOf(coll)) this.stmt(`DELETE FROM ${quote(ix.table)} WHERE id = ?`).run(id);
  }

  // ── low-level row writes (always inside a SQLite transaction) ──────────────────────────────

  private nextRev(): number {
    this.seq += 1;
    this.stmt(
      `INSERT INTO _meta (key, value) VALUES ('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    ).run(String(this.seq));
    return this.seq;
  }

  private remember(coll: string, id: Buffer, before: string | null, newRev: number): void {
    if (this.txs.size === 0) return;
    const key = docKey(coll, id);
    const list = this.history.get(key) ?? [];
    list.push({ newRev, body: before });
    this.history.set(key, list);
  }

  private putRow(coll: string, id: Buffer, doc: Doc, before: Row | undefined): void {
    const rev = this.nextRev();
    this.remember(coll, id, before?.body ?? null, rev);
    checkGeo(coll, this.geoIndexesOf(coll), doc);
    const body = toStorage(doc);
    if (before) {
      this.stmt(`UPDATE ${quote(`c:${coll}`)} SET rev = ?, body = ? WHERE id = ?`).run(rev, body, id);
      this.deleteEntries(coll, id);
    } else {
      try {
        this.stmt(`INSERT INTO ${quote(`c:${coll}`)} (id, rev, body) VALUES (?, ?, ?)`).run(id, rev, body);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
          throw duplicateKey(coll, '_id_', { _id: doc._id });
        throw e;
      }
    }
    for (const ix of this.indexesOf(coll)) this.writeEntries(coll, ix, id, doc);
  }

  private deleteRow(coll: string, row: Row): void {
    const rev = this.nextRev();
    this.remember(coll, row.id, row.body, rev);
    this.stmt(`DELETE FROM ${quote(`c:${coll}`)} WHERE id = ?`).run(row.id);
    this.deleteEntries(coll, row.id);
  }

  private getRow(coll: string, id: Buffer): (Row & { rev: number }) | undefined {
    return this.stmt(`SELECT id, rev, body FROM ${quote(`c:${coll}`)} WHERE id = ?`).get(id) as
      (Row & { rev: number }) | undefined;
  }

  /** Runs `fn` in one SQLite transaction; on any error nothing it wrote remains, in history either. */
  private atomically<T>(fn: () => T): T {
    const before = this.seq;
    try {
      return this.db.transaction(fn)();
    } catch (e) {
      this.seq = before;
      for (const [k, list] of this.history) {
        const keep = list.filter((h) => h.newRev <= before);
        if (keep.length === 0) this.history.delete(k);
        else if (keep.length < list.length) this.history.set(k, keep);
      }
      throw e;
    }
  }

  // ── reads ──────────────────────────────────────────────────────────────────────────────────

  private *rows(p: Plan): Generator<Row> {
    const seen = p.mayRepeat ? new Set<string>() : undefined;
    for (const row of this.stmt(p.sql).iterate(...p.params) as Iterable<Row>) {
      if (seen) {
        const k = row.id.toString('hex');
        if (seen.has(k)) continue;
        seen.add(k);
      }
      yield row;
    }
  }

  private plan(coll: string, query: Doc, sort: SortSpec): Plan {
    return plan(`c:${coll}`, this.requireCollection(coll), query, sort);
  }

  /** Matching documents with their rows, honouring sort, skip and limit. */
  private select(coll: string, spec: FindSpec): { row: Row; doc: Doc }[] {
    const sort = spec.sort ?? [];
    const skip = spec.skip ?? 0;
    const limit = spec.limit ?? Number.POSITIVE_INFINITY;
    const q = compile(spec.query);
    const near = nearOf(spec.query);
    if (near) this.requireGeoIndex(coll, near.field);
    const p = this.plan(coll, spec.query, sort);
    const ordered = p.ordered && !near;
    const matched: { row: Row; doc: Doc }[] = [];
    for (const row of this.rows(p)) {
      const doc = fromStorage(row.body);
      if (!q.test(doc)) continue;
      matched.push({ row, doc });
      if (ordered && matched.length >= skip + limit) break;
    }
    if (ordered) return matched.slice(skip, skip + limit);
    if (near && sort.length === 0) {
      // $nearSphere answers nearest first when no other order is asked for.
      const by = new Map(matched.map((m) => [m, distanceTo(m.doc, near) ?? 0]));
      return matched.sort((a, b) => (by.get(a) ?? 0) - (by.get(b) ?? 0)).slice(skip, skip + limit);
    }
    const byId = new Map(matched.map((m) => [m.row.id.toString('hex'), m]));
    const sorted = new Aggregator([{ $sort: Object.fromEntries(sort) }], MINGO).run(matched.map((m) => m.doc)) as Doc[];
    return sorted
      .slice(skip, skip + limit)
      .map((d) => byId.get(encodeKey(d._id).toString('hex')))
      .filter((m): m is { row: Row; doc: Doc } => m !== undefined);
  }

  /** The plan a query would use, for tests and for the benchmark's report. */
  explain(coll: string, query: Doc, sort: SortSpec = []): { index: string; ordered: boolean; countsInSql: boolean } {
    const p = this.plan(coll, query, sort);
    return { index: p.index, ordered: p.ordered, countsInSql: !!p.count };
  }

  find(coll: string, spec: FindSpec): Doc[] {
    const docs = this.select(coll, spec).map((m) => m.doc);
    if (!spec.projection || Object.keys(spec.projection).length === 0) return docs;
    return new Aggregator([{ $project: spec.projection }], MINGO).run(docs) as Doc[];
  }

  count(coll: string, query: Doc): number {
    const p = this.plan(coll, query, []);
    if (p.count) return (this.stmt(p.count.sql).get(...p.count.params) as { n: number }).n;
    const q = compile(query);
    let n = 0;
    for (const row of this.rows(p)) if (q.test(fromStorage(row.body))) n += 1;
    return n;
  }

  aggregate(coll: string, pipeline: Doc[]): Doc[] {
    this.requireCollection(coll);
    pipeline.forEach((stage, i) => {
      if (i > 0 && '$geoNear' in stage) {
        throw new TcbError('DATABASE_REQUEST_FAILED', '$geoNear is only valid as the first stage in a pipeline');
      }
    });
    const first = pipeline[0];
    const source =
      first && '$geoNear' in first
        ? this.geoNear(coll, first.$geoNear as Doc)
        : first && '$match' in first
          ? this.find(coll, { query: first.$match as Doc })
          : [...this.rows(this.plan(coll, {}, []))].map((r) => fromStorage(r.body));
    const rest = first && ('$match' in first || '$geoNear' in first) ? pipeline.slice(1) : pipeline;
    try {
      return new Aggregator(rest, {
        ...MINGO,
        collectionResolver: (name: string) => this.find(name, { query: {} }),
      }).run(source) as Doc[];
    } catch (e) {
      if (e instanceof TcbError) throw e;
      throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid aggregation: ${(e as Error).message}`);
    }
  }

  /** The $geoNear stage: documents with their distance in metres (times distanceMultiplier), nearest first. */
  private geoNear(coll: string, spec: Doc): Doc[] {
    if (!spec || typeof spec !== 'object') throw invalid('$geoNear needs an object');
    if (typeof spec.distanceField !== 'string' || !spec.distanceField) throw invalid('$geoNear needs distanceField');
    const geo = this.geoIndexesOf(coll);
    const field = typeof spec.key === 'string' ? spec.key : geo.length === 1 ? Object.keys(geo[0].keys)[0] : '';
    if (!field) {
      throw new TcbError(
        'DATABASE_REQUEST_FAILED',
        geo.length === 0
          ? `unable to find index for $geoNear query on ${coll}`
          : '$geoNear needs key: more than one 2dsphere index',
      );
    }
    this.requireGeoIndex(coll, field);
    const near = nearSpec(field, {
      $geometry: spec.near,
      $minDistance: spec.minDistance,
      $maxDistance: spec.maxDistance,
    });
    const multiplier = typeof spec.distanceMultiplier === 'number' ? spec.distanceMultiplier : 1;
    const query = spec.query && typeof spec.query === 'object' ? (spec.query as Doc) : {};
    const out: { doc: Doc; d: number }[] = [];
    for (const doc of this.find(coll, { query })) {
      const g = asGeometry(valuesAtPath(doc, field).values[0]);
      if (!g) continue;
      const d = distanceTo(doc, near) as number;
      if (d < near.min || d > near.max) continue;
      applyUpdate(doc, { $set: { [spec.distanceField]: d * multiplier } } as Modifier<Doc>);
      if (typeof spec.includeLocs === 'string') applyUpdate(doc, { $set: { [spec.includeLocs]: g } } as Modifier<Doc>);
      out.push({ doc, d });
    }
    return out.sort((a, b) => a.d - b.d).map((x) => x.doc);
  }

  // ── writes ─────────────────────────────────────────────────────────────────────────────────

  insert(coll: string, docs: Doc[]): unknown[] {
    this.requireCollection(coll);
    if (docs.length === 0) throw invalid('nothing to insert');
    return this.atomically(() =>
      docs.map((d) => {
        if (!d || typeof d !== 'object' || Array.isArray(d)) throw invalid('a document must be an object');
        checkFieldNames(d);
        const doc: Doc = { _id: d._id ?? newId(), ...d };
        this.putRow(coll, encodeKey(doc._id), doc, undefined);
        return doc._id;
      }),
    );
  }

  update(coll: string, spec: UpdateSpec): { updated: number; upsertedId?: unknown } {
    this.requireCollection(coll);
    validateUpdate(spec);
    return this.atomically(() => {
      const targets = this.select(coll, { query: spec.query, limit: spec.multi ? undefined : 1 });
      // CloudBase answers the documents matched, also those the write leaves as they were (see README).
      const updated = targets.length;
      for (const { row, doc } of targets) {
        const next = this.applyTo(doc, spec);
        if (toStorage(next) !== row.body) this.putRow(coll, row.id, next, row);
      }
      if (targets.length === 0 && spec.upsert) {
        // The query's equality fields, set as MongoDB does: { 'a.b': 1 } seeds { a: { b: 1 } }.
        const { _id, ...equal } = Object.fromEntries(
          Object.entries(spec.query).filter(([k, v]) => !k.startsWith('$') && !isOperatorValue(v)),
        );
        const seed: Doc = _id === undefined ? {} : { _id };
        try {
          if (Object.keys(equal).length > 0) applyUpdate(seed, { $set: equal } as Modifier<Doc>);
        } catch (e) {
          throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid upsert query: ${(e as Error).message}`);
        }
        const doc = this.applyTo(seed, spec);
        doc._id ??= newId();
        this.putRow(coll, encodeKey(doc._id), doc, undefined);
        return { updated: 0, upsertedId: doc._id };
      }
      return { updated };
    });
  }

  /** where(…).updateAndReturn(): updates the first match and answers it as it is afterwards. */
  findOneAndUpdate(coll: string, spec: UpdateSpec): { updated: number; doc: Doc | null } {
    this.requireCollection(coll);
    validateUpdate(spec);
    return this.atomically(() => {
      const [target] = this.select(coll, { query: spec.query, limit: 1 });
      if (!target) return { updated: 0, doc: null };
      const next = this.applyTo(target.doc, spec);
      if (toStorage(next) !== target.row.body) this.putRow(coll, target.row.id, next, target.row);
      return { updated: 1, doc: next };
    });
  }

  remove(coll: string, query: Doc, multi: boolean): number {
    this.requireCollection(coll);
    return this.atomically(() => {
      const targets = this.select(coll, { query, limit: multi ? undefined : 1 });
      for (const { row } of targets) this.deleteRow(coll, row);
      return targets.length;
    });
  }

  private applyTo(doc: Doc, spec: UpdateSpec): Doc {
    if (!spec.merge) {
      const { _id, ...rest } = spec.update;
      if (_id !== undefined && !sameId(_id, doc._id)) {
        throw new TcbError('DATABASE_REQUEST_FAILED', 'the field _id cannot be modified');
      }
      return { _id: doc._id, ...rest };
    }
    for (const fields of Object.values(spec.update)) {
      if (
        fields &&
        typeof fields === 'object' &&
        Object.keys(fields).some((k) => k === '_id' || k.startsWith('_id.'))
      ) {
        throw new TcbError(
          'DATABASE_REQUEST_FAILED',
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      }
    }
    const next = structuredCloneDoc(doc);
    try {
      applyUpdate(next, spec.update as Modifier<Doc>);
    } catch (e) {
      throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid update: ${(e as Error).message}`);
    }
    if (!sameId(next._id, doc._id)) throw new TcbError('DATABASE_REQUEST_FAILED', 'the field _id cannot be modified');
    checkFieldNames(next);
    return next;
  }

  // ── transactions ───────────────────────────────────────────────────────────────────────────

  startTransaction(): string {
    this.expireTransactions();
    const id = `tx-${randomBytes(12).toString('hex')}`;
    this.txs.set(id, { id, startSeq: this.seq, startedAt: this.now(), writes: new Map() });
    return id;
  }

  private tx(id: string): Transaction {
    this.expireTransactions();
    const tx = this.txs.get(id);
    if (!tx) throw new TcbError('DATABASE_TRANSACTION_FAIL', `transaction ${id} has expired or was never started`);
    return tx;
  }

  expireTransactions(): void {
    const now = this.now();
    for (const tx of this.txs.values()) if (now - tx.startedAt > this.transactionTtlMs) this.txs.delete(tx.id);
    this.pruneHistory();
  }

  openTransactions(): number {
    this.expireTransactions();
    return this.txs.size;
  }

  private pruneHistory(): void {
    if (this.txs.size === 0) {
      this.history.clear();
      return;
    }
    const oldest = Math.min(...[...this.txs.values()].map((t) => t.startSeq));
    for (const [k, list] of this.history) {
      const keep = list.filter((h) => h.newRev > oldest);
      if (keep.length === 0) this.history.delete(k);
      else this.history.set(k, keep);
    }
  }

  /** The document as the transaction sees it: its own writes, else the snapshot at its start. */
  private txView(tx: Transaction, coll: string, id: unknown): Doc | null {
    const key = encodeKey(id);
    const staged = tx.writes.get(docKey(coll, key));
    if (staged) return staged.doc;
    const row = this.getRow(coll, key);
    if (row && row.rev <= tx.startSeq) return fromStorage(row.body);
    // Changed since the transaction began (or never existed): the pre-image of the first later write.
    const firstAfter = (this.history.get(docKey(coll, key)) ?? []).find((h) => h.newRev > tx.startSeq);
    return firstAfter?.body ? fromStorage(firstAfter.body) : null;
  }

  private conflict(tx: Transaction, why: string): TcbError {
    this.txs.delete(tx.id);
    this.pruneHistory();
    // MongoDB's WriteConflict text, which CloudBase passes through (reported; see README).
    return new TcbError(
      'DATABASE_TRANSACTION_CONFLICT',
      `WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction. (${why})`,
    );
  }

  /** A write in a transaction: fails at once when someone else changed the document since it began. */
  private stage(tx: Transaction, coll: string, id: unknown, doc: Doc | null): void {
    const key = encodeKey(id);
    const k = docKey(coll, key);
    const row = this.getRow(coll, key);
    if (row && row.rev > tx.startSeq) throw this.conflict(tx, `${coll}/${String(id)} was changed by another write`);
    if (!row && (this.history.get(k) ?? []).some((h) => h.newRev > tx.startSeq)) {
      throw this.conflict(tx, `${coll}/${String(id)} was removed by another write`);
    }
    for (const other of this.txs.values()) {
      if (other !== tx && other.writes.has(k)) {
        throw this.conflict(tx, `${coll}/${String(id)} is being written by another transaction`);
      }
    }
    tx.writes.set(k, { coll, id, key: k, doc });
  }

  txGet(txId: string, coll: string, id: unknown): Doc | null {
    const tx = this.tx(txId);
    this.requireCollection(coll);
    return this.txView(tx, coll, id);
  }

  /**
   * where(…).get() in a transaction: what the transaction sees (its snapshot plus its own writes). The
   * SDK sends the transaction id with it (and with updateAndReturn); it does not with where().update()
   * or where().remove(), which so run outside the transaction in CloudBase as here.
   */
  txFind(txId: string, coll: string, spec: FindSpec): Doc[] {
    const tx = this.tx(txId);
    this.requireCollection(coll);
    const ids = new Map<string, unknown>();
    const add = (id: unknown) => ids.set(encodeKey(id).toString('hex'), id);
    for (const row of this.rows(this.plan(coll, {}, []))) add(fromStorage(row.body)._id);
    for (const w of tx.writes.values()) if (w.coll === coll) add(w.id);
    for (const [k, list] of this.history) {
      if (!k.startsWith(`${coll}\u0000`)) continue;
      for (const h of list) if (h.body) add(fromStorage(h.body)._id);
    }
    const q = compile(spec.query);
    const docs = [...ids.values()].map((id) => this.txView(tx, coll, id)).filter((d): d is Doc => !!d && q.test(d));
    const stages: Doc[] = [];
    if (spec.sort && spec.sort.length > 0) stages.push({ $sort: Object.fromEntries(spec.sort) });
    if (spec.skip) stages.push({ $skip: spec.skip });
    if (spec.limit !== undefined) stages.push({ $limit: spec.limit });
    if (spec.projection && Object.keys(spec.projection).length > 0) stages.push({ $project: spec.projection });
    return stages.length === 0 ? docs : (new Aggregator(stages, MINGO).run(docs) as Doc[]);
  }

  /** where(…).updateAndReturn() in a transaction: the first match as the transaction sees it, updated. */
  txFindOneAndUpdate(txId: string, coll: string, spec: UpdateSpec): { updated: number; doc: Doc | null } {
    const [target] = this.txFind(txId, coll, { query: spec.query, limit: 1 });
    if (!target) return { updated: 0, doc: null };
    const r = this.txUpdate(txId, coll, target._id, { update: spec.update, merge: spec.merge, upsert: false });
    return { updated: r.updated, doc: this.txGet(txId, coll, target._id) };
  }

  txInsert(txId: string, coll: string, doc: Doc): unknown {
    const tx = this.tx(txId);
    this.requireCollection(coll);
    checkFieldNames(doc);
    const full: Doc = { _id: doc._id ?? newId(), ...doc };
    if (this.txView(tx, coll, full._id)) throw duplicateKey(coll, '_id_', { _id: full._id });
    this.stage(tx, coll, full._id, full);
    return full._id;
  }

  txUpdate(
    txId: string,
    coll: string,
    id: unknown,
    spec: Omit<UpdateSpec, 'query' | 'multi'>,
  ): { updated: number; upsertedId?: unknown } {
    const tx = this.tx(txId);
    this.requireCollection(coll);
    const full: UpdateSpec = { ...spec, query: { _id: id }, multi: false };
    validateUpdate(full);
    const current = this.txView(tx, coll, id);
    if (!current) {
      if (!spec.upsert) return { updated: 0 };
      const doc = this.applyTo({ _id: id }, full);
      this.stage(tx, coll, id, doc);
      return { updated: 0, upsertedId: id };
    }
    const next = this.applyTo(current, full);
    if (toStorage(next) !== toStorage(current)) this.stage(tx, coll, id, next);
    return { updated: 1 };
  }

  txRemove(txId: string, coll: string, id: unknown): number {
    const tx = this.tx(txId);
    this.requireCollection(coll);
    if (!this.txView(tx, coll, id)) return 0;
    this.stage(tx, coll, id, null);
    return 1;
  }

  commit(txId: string): void {
    const tx = this.tx(txId);
    try {
      this.atomically(() => {
        for (const w of tx.writes.values()) {
          const key = encodeKey(w.id);
          const row = this.getRow(w.coll, key);
          if (row && row.rev > tx.startSeq)
            throw this.conflict(tx, `${w.coll}/${String(w.id)} was changed by another write`);
          if (!row && (this.history.get(docKey(w.coll, key)) ?? []).some((h) => h.newRev > tx.startSeq))
            throw this.conflict(tx, `${w.coll}/${String(w.id)} was removed by another write`);
          if (w.doc) this.putRow(w.coll, key, w.doc, row);
          else if (row) this.deleteRow(w.coll, row);
        }
      });
    } finally {
      this.txs.delete(tx.id);
      this.pruneHistory();
    }
  }

  abort(txId: string): void {
    this.tx(txId);
    this.txs.delete(txId);
    this.pruneHistory();
  }
}

/** A document whose geo-indexed field holds something other than GeoJSON is refused, as MongoDB does. */
function checkGeo(coll: string, defs: IndexDef[], doc: Doc): void {
  for (const def of defs) {
    for (const field of Object.keys(def.keys)) {
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

function isOperatorValue(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && isOperatorDoc(v as Doc);
}

function sameId(a: unknown, b: unknown): boolean {
  return encodeKey(a).equals(encodeKey(b));
}

function structuredCloneDoc(doc: Doc): Doc {
  return fromStorage(toStorage(doc));
}

function checkFieldNames(doc: unknown, depth = 0): void {
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

function validateUpdate(spec: UpdateSpec): void {
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
