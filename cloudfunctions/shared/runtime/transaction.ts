/**
 * Transactions with the retry CloudBase expects of the caller. wx-server-sdk reports a write conflict
 * as an ordinary error (runTransaction's own retry never sees the code), so conflicts are retried
 * here; the callback must have no effect outside the transaction, as it may run more than once.
 */
import { AppError, isTransactionConflict } from './errors';
import { database } from './sdk';
import { spend } from './meter';

type Tx = Parameters<Parameters<ReturnType<typeof database>['runTransaction']>[0]>[0];

/** Document operations inside a transaction, typed once. */
export interface TxOps {
  get<T>(collection: string, id: string): Promise<T | undefined>;
  set(collection: string, id: string, data: object): Promise<void>;
  update(collection: string, id: string, data: object): Promise<void>;
  /** An update by id that answers how many documents it changed: 0 when there is no such document. */
  updateCount(collection: string, id: string, data: object): Promise<number>;
  add<T extends { _id: string }>(collection: string, data: T): Promise<void>;
}

/** The error a transaction's read or update of a document that does not exist answers with. */
const missing = (e: unknown) =>
  /does not exist|not exist/i.test(String((e as { errMsg?: string; message?: string }).errMsg ?? (e as Error).message));

function ops(tx: Tx): TxOps {
  const coll = (name: string) =>
    (
      tx as unknown as {
        collection(n: string): {
          doc(id: string): Record<string, (a?: unknown) => Promise<unknown>>;
          add(a: unknown): Promise<unknown>;
        };
      }
    ).collection(name);
  return {
    async get<T>(collection: string, id: string) {
      spend();
      try {
        const r = (await coll(collection).doc(id).get()) as { data?: T | null };
        return r.data ?? undefined;
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
    async set(collection, id, data) {
      spend();
      await coll(collection).doc(id).set({ data });
    },
    async update(collection, id, data) {
      spend();
      await coll(collection).doc(id).update({ data });
    },
    async updateCount(collection, id, data) {
      spend();
      try {
        const r = (await coll(collection).doc(id).update({ data })) as { stats?: { updated?: number } };
        return r.stats?.updated ?? 0;
      } catch (e) {
        if (missing(e)) return 0;
        throw e;
      }
    },
    async add(collection, data) {
      spend();
      await coll(collection).add({ data });
    },
  };
}

export async function withTransaction<T>(fn: (tx: TxOps) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Its start and its commit (or abort) are operations too; the ones inside are counted by ops().
      spend(2);
      return (await database().runTransaction(async (tx: Tx) => fn(ops(tx)), 0)) as T;
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (!isTransactionConflict(e) || attempt >= attempts) {
        if (isTransactionConflict(e)) throw new AppError('CONFLICT');
        throw e;
      }
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
    }
  }
}
