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

/** The documents of a get(); wx-server-sdk types the result as a union with void | string. */
export async function listOf<T>(query: { get(): unknown }): Promise<T[]> {
  const r = (await query.get()) as { data?: T[] };
  return r.data ?? [];
}

/** stats.updated of an update(): 0 when the condition matched nothing (or changed nothing). */
export async function updatedCount(op: Promise<unknown> | unknown): Promise<number> {
  const r = (await op) as { stats?: { updated?: number } };
  return r.stats?.updated ?? 0;
}
