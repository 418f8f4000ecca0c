/**
 * The local cloud's database as the tcb API uses it: documents (documents.ts) plus transactions that
 * read the snapshot at their start and their own writes, and fail on a document someone else changed
 * since — CloudBase's (MongoDB's) snapshot isolation with write conflicts.
 */
import { randomBytes } from 'node:crypto';
import { encodeKey } from './keys';
import { fromStorage, toStorage, type Doc } from './ejson';
import { TcbError, duplicateKey } from './errors';
import { Aggregator, MINGO } from './operators';
import {
  checkFieldNames,
  compile,
  docKey,
  newId,
  validateUpdate,
  type FindSpec,
  type Transaction,
  type UpdateSpec,
} from './model';
import { Documents } from './documents';

export {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  TRANSACTION_TTL_MS,
  newId,
  type CollectionDef,
  type FindSpec,
  type IndexDef,
  type UpdateSpec,
} from './model';

export class Engine extends Documents {
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
