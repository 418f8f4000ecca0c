/**
 * wx-server-sdk, wrapped once. Its typings declare DYNAMIC_CURRENT_ENV as a symbol where init wants a
 * string and type get() results loosely; this module is the one place that papers over that.
 */
import * as cloud from 'wx-server-sdk';

let initialised = false;

export function sdk(): typeof cloud {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
    initialised = true;
  }
  return cloud;
}

export type Database = ReturnType<typeof cloud.database>;

export function database(): Database {
  return sdk().database();
}

/** The caller as the platform says it is. Read it at the start of main, before any await. */
export function callerContext(): { openid: string | undefined; appid: string | undefined } {
  const ctx = sdk().getWXContext() as { OPENID?: unknown; APPID?: unknown };
  const openid = ctx.OPENID === undefined || ctx.OPENID === null || ctx.OPENID === '' ? undefined : String(ctx.OPENID);
  return { openid, appid: ctx.APPID === undefined ? undefined : String(ctx.APPID) };
}

/** CloudBase reports a duplicate key (unique index or _id) as -502001 with MongoDB's E11000 text. */
export function isDuplicateKey(e: unknown): boolean {
  const err = e as { errCode?: number; errMsg?: string; message?: string } | undefined;
  return /E11000|duplicate key/i.test(String(err?.errMsg ?? err?.message ?? ''));
}

export function isTransactionConflict(e: unknown): boolean {
  const err = e as { code?: string; errMsg?: string; message?: string } | undefined;
  return (
    err?.code === 'DATABASE_TRANSACTION_CONFLICT' ||
    /TRANSACTION_CONFLICT|WriteConflict/i.test(String(err?.errMsg ?? err?.message ?? ''))
  );
}

/** The documents of a get(); wx-server-sdk types the result as a union with void | string. */
export async function listOf<T>(query: { get(): unknown }): Promise<T[]> {
  const r = (await query.get()) as { data?: T[] };
  return r.data ?? [];
}

/**
 * stats.updated of an update(): the documents the condition matched. CloudBase counts a matched document
 * even when the write leaves it as it was, so 1 means "the condition held", not "a field changed": a
 * conditional update that must tell a winner apart has to change something (a revision, an $inc, a push).
 */
export async function updatedCount(op: Promise<unknown> | unknown): Promise<number> {
  const r = (await op) as { stats?: { updated?: number } };
  return r.stats?.updated ?? 0;
}
