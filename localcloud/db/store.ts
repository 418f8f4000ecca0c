/**
 * The local cloud's document database: SQLite (better-sqlite3) stores the documents, keeps one table
 * per declared index (so uniqueness and range scans are SQLite's B-trees), and makes every write
 * atomic and durable. This layer holds the collections, their indexes and the rows; the document
 * operations (documents.ts) and transactions (engine.ts) are built on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { encodeKey, valuesAtPath } from './keys';
import { plan, type IndexMeta, type Plan, type SortSpec } from './planner';
import { fromStorage, toStorage, type Doc } from './ejson';
import { TcbError, duplicateKey, invalid } from './errors';
import { GeoIndexes } from './geoindex';
import { nearOf } from './geo';
import {
  COLLECTION_NAME,
  TRANSACTION_TTL_MS,
  docKey,
  isGeoDef,
  quote,
  type CollectionDef,
  type IndexDef,
  type Row,
  type Transaction,
} from './model';

export class Store {
  readonly db: Database.Database;
  protected readonly indexes = new Map<string, IndexMeta[]>();
  /** 2dsphere indexes (geoindex.ts). */
  protected readonly geo: GeoIndexes;
  protected seq: number;
  protected readonly txs = new Map<string, Transaction>();
  /** Pre-images of documents written while transactions are open: newRev → body before it. */
  protected readonly history = new Map<string, { newRev: number; body: string | null }[]>();
  protected readonly stmts = new Map<string, Database.Statement>();
  /** How long an open transaction lives; tests shorten it rather than wait 30 seconds. */
  transactionTtlMs = TRANSACTION_TTL_MS;

  /**
   * `now` times transactions, so it is real time: never the local cloud's movable clock, which
   * would expire every open transaction when moved forward and keep them forever when moved back.
   */
  constructor(
    dataDir: string,
    protected readonly now: () => number = Date.now,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'cloud.sqlite'));
    this.geo = new GeoIndexes(this.db);
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
      if (isGeoDef(def)) this.geo.load(r.coll, def);
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
  protected meta(coll: string, def: IndexDef, multikey: number): IndexMeta {
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
      this.geo.create(coll, def);
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
      // All at once: better-sqlite3 cannot prepare or run another statement while one is being iterated.
      for (const row of this.db.prepare(`SELECT id, body FROM ${quote(`c:${coll}`)}`).all() as Row[]) {
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

  geoIndexesOf(coll: string): IndexDef[] {
    return this.geo.of(coll);
  }

  protected requireGeoIndex(coll: string, field: string): void {
    this.geo.require(coll, field);
  }

  dropIndex(coll: string, name: string): void {
    if (this.geo.drop(coll, name)) return;
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

  protected requireCollection(coll: string): IndexMeta[] {
    const ix = this.indexes.get(coll);
    if (!ix) throw new TcbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${coll}`);
    return ix;
  }

  protected stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // ── index entries ──────────────────────────────────────────────────────────────────────────

  protected entriesFor(coll: string, ix: IndexMeta, doc: Doc): { keys: Buffer[][]; mask: number } {
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

  protected writeEntries(coll: string, ix: IndexMeta, id: Buffer, doc: Doc): void {
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

  protected deleteEntries(coll: string, id: Buffer): void {
    for (const ix of this.indexesOf(coll)) this.stmt(`DELETE FROM ${quote(ix.table)} WHERE id = ?`).run(id);
  }

  // ── low-level row writes (always inside a SQLite transaction) ──────────────────────────────

  protected nextRev(): number {
    this.seq += 1;
    this.stmt(
      `INSERT INTO _meta (key, value) VALUES ('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    ).run(String(this.seq));
    return this.seq;
  }

  protected remember(coll: string, id: Buffer, before: string | null, newRev: number): void {
    if (this.txs.size === 0) return;
    const key = docKey(coll, id);
    const list = this.history.get(key) ?? [];
    list.push({ newRev, body: before });
    this.history.set(key, list);
  }

  protected putRow(coll: string, id: Buffer, doc: Doc, before: Row | undefined): void {
    const rev = this.nextRev();
    this.remember(coll, id, before?.body ?? null, rev);
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
    this.geo.written(coll, id, doc);
  }

  protected deleteRow(coll: string, row: Row): void {
    const rev = this.nextRev();
    this.remember(coll, row.id, row.body, rev);
    this.geo.deleting(coll, row.id);
    this.stmt(`DELETE FROM ${quote(`c:${coll}`)} WHERE id = ?`).run(row.id);
    this.deleteEntries(coll, row.id);
  }

  protected getRow(coll: string, id: Buffer): (Row & { rev: number }) | undefined {
    return this.stmt(`SELECT id, rev, body FROM ${quote(`c:${coll}`)} WHERE id = ?`).get(id) as
      (Row & { rev: number }) | undefined;
  }

  /** Runs `fn` in one SQLite transaction; on any error nothing it wrote remains, in history either. */
  protected atomically<T>(fn: () => T): T {
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

  protected *rows(p: Plan): Generator<Row> {
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

  /** geoNear with no other order walks outwards on its 2dsphere index (geoindex.ts). */
  protected plan(coll: string, query: Doc, sort: SortSpec): Plan {
    const indexes = this.requireCollection(coll);
    const near = sort.length === 0 ? nearOf(query) : null;
    return (
      (near && this.geo.walk(coll, query, near)) ??
      this.geo.plan(coll, query) ??
      plan(`c:${coll}`, indexes, query, sort)
    );
  }
}
