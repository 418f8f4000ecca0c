/**
 * wx-server-sdk, wrapped once. Its typings declare DYNAMIC_CURRENT_ENV as a symbol where init wants a
 * string and type get() results loosely; this module is the one place that papers over that.
 */
import * as cloud from 'wx-server-sdk';
import { metered } from './meter';

let initialised = false;

export function sdk(): typeof cloud {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
    initialised = true;
  }
  return cloud;
}

export type Database = ReturnType<typeof cloud.database>;

/** The database, its requests counted as database operations (meter.ts): what the timer budgets by. */
export function database(): Database {
  return metered(sdk().database(), false);
}

/** The caller as the platform says it is. Read it at the start of main, before any await. */
export function callerContext(): { openid: string | undefined; appid: string | undefined } {
  const ctx = sdk().getWXContext() as { OPENID?: unknown; APPID?: unknown };
  const openid = ctx.OPENID === undefined || ctx.OPENID === null || ctx.OPENID === '' ? undefined : String(ctx.OPENID);
  return { openid, appid: ctx.APPID === undefined ? undefined : String(ctx.APPID) };
}

/**
 * CloudBase refuses a request over the environment's quotas before running it: -501003 (requests a
 * second) and -501004 (concurrency). Such a request did nothing, so sending it again cannot write twice.
 * (A timeout, -501002, is different: the request may have run.)
 */
export function isQuotaError(e: unknown): boolean {
  const code = Number((e as { errCode?: unknown } | null)?.errCode);
  return code === -501003 || code === -501004;
}

/** Backoff before each retry: about 0.1, 0.2, 0.4 s, jittered so refused callers do not return together. */
const QUOTA_RETRY_MS = [100, 200, 400];

/**
 * Sends again, after a backoff, a request the quota refused; any other error, or the last refusal, is
 * the caller's (the handler answers it as UNAVAILABLE). Only for requests safe to repeat: reads here.
 */
export async function retryOnQuota<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (e) {
      if (!isQuotaError(e) || attempt >= QUOTA_RETRY_MS.length) throw e;
      const wait = QUOTA_RETRY_MS[attempt] * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The documents of a get() (retried when the quota refuses it); wx-server-sdk types the result loosely. */
export async function listOf<T>(query: { get(): unknown }): Promise<T[]> {
  const r = (await retryOnQuota(async () => query.get())) as { data?: T[] };
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
