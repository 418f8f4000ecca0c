/**
 * The base tier's quotas (PLATFORM.md), enforced when the local cloud runs with LOCALCLOUD_QUOTA=base, so
 * benchmarks and surge tests meet the limits production would: about 30 database operations a second
 * and 20 connections for the whole environment, and 20 concurrent requests per function. A request over
 * a limit is refused before it runs — nothing of it happens — with the platform's own codes:
 * EXCEED_REQUEST_LIMIT (wx-server-sdk's -501003) and EXCEED_CONCURRENT_REQUEST_LIMIT (-501004).
 * Without the variable nothing is limited, as before.
 */
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { TcbError } from './db/errors';

export interface QuotaLimits {
  /** Database operations a second, for the whole environment (a token bucket of one second's worth). */
  dbOpsPerSecond: number;
  /** Database requests in flight at once, for the whole environment. */
  dbConnections: number;
  /** Calls of one function running or waiting at once. */
  functionConcurrency: number;
}

export const BASE_TIER: QuotaLimits = { dbOpsPerSecond: 30, dbConnections: 20, functionConcurrency: 20 };

export interface QuotaCounts {
  admitted: number;
  refusedRate: number;
  refusedConnections: number;
  refusedFunctionCalls: number;
}

/** The quota a mode names: 'base', or none for '' / 'off' / undefined. Anything else is a mistake. */
export function quotaFor(mode: string | undefined, now: () => number = Date.now): Quota | null {
  if (mode === undefined || mode === '' || mode === 'off') return null;
  if (mode === 'base') return new Quota(BASE_TIER, now);
  throw new Error(`LOCALCLOUD_QUOTA must be "base" or "off", got "${mode}"`);
}

export class Quota {
  private tokens: number;
  private last: number;
  private connections = 0;
  private readonly running = new Map<string, number>();
  readonly counts: QuotaCounts = { admitted: 0, refusedRate: 0, refusedConnections: 0, refusedFunctionCalls: 0 };

  constructor(
    readonly limits: QuotaLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.dbOpsPerSecond;
    this.last = now();
  }

  /**
   * A database operation: refused when the environment's operations per second are spent. Called once
   * per tcb `database.*` action, the unit CloudBase counts.
   */
  spendDatabaseOperation(): TcbError | null {
    const t = this.now();
    this.tokens = Math.min(
      this.limits.dbOpsPerSecond,
      this.tokens + ((t - this.last) / 1000) * this.limits.dbOpsPerSecond,
    );
    this.last = t;
    if (this.tokens < 1) {
      this.counts.refusedRate += 1;
      return new TcbError(
        'EXCEED_REQUEST_LIMIT',
        'exceed request limit: database operations per second of the base tier',
      );
    }
    this.tokens -= 1;
    this.counts.admitted += 1;
    return null;
  }

  /**
   * A connection to the tcb API (POST /admin) is held from the request's arrival to its answer; past the
   * limit the request is answered at once, as CloudBase answers it, and never reaches the database.
   */
  admitConnection(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (req.method !== 'POST' || !(req.url ?? '').startsWith('/admin')) return true;
    if (this.connections >= this.limits.dbConnections) {
      this.counts.refusedConnections += 1;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          requestId: randomBytes(8).toString('hex'),
          code: 'EXCEED_CONCURRENT_REQUEST_LIMIT',
          message: 'exceed concurrent request limit: database connections of the base tier',
        }),
      );
      return false;
    }
    this.connections += 1;
    let done = false;
    const release = () => {
      if (!done) this.connections -= 1;
      done = true;
    };
    res.once('close', release);
    res.once('finish', release);
    return true;
  }

  /** A call of `fn`: a release function, or null when the function's concurrent requests are all taken. */
  enterFunction(fn: string): (() => void) | null {
    const n = this.running.get(fn) ?? 0;
    if (n >= this.limits.functionConcurrency) {
      this.counts.refusedFunctionCalls += 1;
      return null;
    }
    this.running.set(fn, n + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running.set(fn, (this.running.get(fn) ?? 1) - 1);
    };
  }
}
