/**
 * A local cloud for one benchmark: started in this process on a temporary data folder (port 0), so
 * that its engine can be seeded directly and what one call costs can be counted.
 *
 * How round trips are counted (nothing is added to localcloud/): while the cloud starts,
 * http.createServer is wrapped just long enough to catch the server it creates, and a 'request'
 * listener counts every POST /admin — each is one tcb API request a function made (database, open
 * API or storage), exactly what CloudBase would bill as a request — and the round trips among them:
 * requests made while another of the call's is in flight (Promise.all) share one trip. The local
 * server answers a request in one go, so while counting, each is held 5 ms before it is served (the
 * times include it): requests sent together are then seen in flight together. Beside that, the engine's methods
 * are wrapped on the instance: each top-level database operation (a get, a count, an update, …) is
 * counted by collection, with the documents it answered and the rows its plan made the engine read
 * (SQLite rows fetched through the chosen index and tested by mingo). Calls are made one at a time,
 * so what is counted between a call's start and its answer is that call's.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Doc } from '../../../localcloud/db/ejson';
import type { Engine } from '../../../localcloud/db/engine';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/server';
import { seedDemo, type SeedReport } from '../../../localcloud/seed';
import { ROOT } from '../project';

export interface CallCost {
  ms: number;
  /** tcb API requests (POST /admin) the call made. */
  requests: number;
  /**
   * Its round trips: the requests in sequence, parallel ones counted once — a new trip starts when a
   * request arrives while none of the call's requests is in flight (Promise.all of independent reads is one).
   */
  trips: number;
  /** Top-level database operations, by collection. */
  ops: Record<string, number>;
  /** Documents the database answered, by collection. */
  returned: Record<string, number>;
  /** Rows the engine read to answer them (index entries followed, documents tested), by collection. */
  examined: Record<string, number>;
  /** The index each operation's plan used, as "collection:index". */
  plans: string[];
  /**
   * The round trip (1-based) in which the call's first and last write-side operation ran (an insert,
   * update, remove, or any operation of a transaction); 0 when it wrote nothing. Trips before the
   * first are its reads before the write, those after the last its reads after it.
   */
  firstWriteTrip: number;
  lastWriteTrip: number;
}

const WRAPPED = [
  'find',
  'count',
  'aggregate',
  'insert',
  'update',
  'findOneAndUpdate',
  'remove',
  'startTransaction',
  'commit',
  'abort',
  'txGet',
  'txInsert',
  'txUpdate',
  'txRemove',
] as const;

/** Operations that write, or run inside a transaction (whose reads are part of the write). */
const WRITE_SIDE = new Set<string>(WRAPPED.filter((n) => !['find', 'count', 'aggregate'].includes(n)));

type AnyFn = (...args: unknown[]) => unknown;

/** How long a counted tcb request is held before it is served (see BenchCloud.start). */
const HOLD_MS = 5;

export class BenchCloud {
  private requests = 0;
  private trips = 0;
  private inFlight = 0;
  private ops: Record<string, number> = {};
  private returned: Record<string, number> = {};
  private examined: Record<string, number> = {};
  private plans: string[] = [];
  private firstWriteTrip = 0;
  private lastWriteTrip = 0;
  private counting = false;

  private constructor(
    readonly cloud: LocalCloud,
    readonly dataDir: string,
    readonly demo: SeedReport | undefined,
  ) {}

  /**
   * `holdMs`: how long each counted request is held (HOLD_MS unless given): longer makes the count of
   * round trips sure on a loaded machine, where a parallel request can arrive more than 5 ms late.
   */
  static async start(opts: { demo?: boolean; holdMs?: number } = {}): Promise<BenchCloud> {
    const holdMs = opts.holdMs ?? HOLD_MS;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-'));
    const original = http.createServer;
    let server: http.Server | undefined;
    const ref: { bench?: BenchCloud } = {};
    type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
    // The server's handler answers a tcb request in one go (the engine is synchronous), so requests a
    // function sent together would look sequential; held HOLD_MS first, they are seen in flight together.
    const held =
      (handler: Handler): Handler =>
      (req, res) => {
        const b = ref.bench;
        if (!b?.counting || req.method !== 'POST' || !/^\/admin(\?|$)/.test(req.url ?? '')) return handler(req, res);
        b.requests += 1;
        if (b.inFlight === 0) b.trips += 1;
        b.inFlight += 1;
        let done = false;
        const end = () => {
          if (done) return;
          done = true;
          b.inFlight -= 1;
        };
        res.on('finish', end);
        res.on('close', end);
        setTimeout(() => handler(req, res), holdMs);
      };
    const patched = ((...args: unknown[]) => {
      const i = args.findIndex((a) => typeof a === 'function');
      if (i >= 0) args[i] = held(args[i] as Handler);
      server = (original as (...a: unknown[]) => http.Server)(...args);
      return server;
    }) as typeof http.createServer;
    (http as { createServer: typeof http.createServer }).createServer = patched;
    let cloud: LocalCloud;
    try {
      cloud = await startLocalCloud({ root: ROOT, dataDir, port: 0, env: 'local-bench' });
    } finally {
      (http as { createServer: typeof http.createServer }).createServer = original;
    }
    const demo = opts.demo ? seedDemo(cloud.engine, new Date(cloud.clock.now())) : undefined;
    const bench = new BenchCloud(cloud, dataDir, demo);
    ref.bench = bench;
    if (!server) throw new Error('bench: could not see the local cloud’s HTTP server');
    bench.instrument(cloud.engine);
    return bench;
  }

  get engine(): Engine {
    return this.cloud.engine;
  }

  private instrument(engine: Engine): void {
    let depth = 0;
    let current = '';
    const add = (r: Record<string, number>, coll: string, n: number) => {
      if (this.counting) r[coll] = (r[coll] ?? 0) + n;
    };
    const e = engine as unknown as Record<string, AnyFn>;
    for (const name of WRAPPED) {
      const orig = e[name].bind(engine);
      e[name] = (...args: unknown[]) => {
        const top = depth === 0;
        depth += 1;
        try {
          const result = orig(...args);
          if (top) {
            const coll = name.startsWith('tx')
              ? String(args[1])
              : name === 'commit' || name === 'abort' || name === 'startTransaction'
                ? '(transaction)'
                : String(args[0]);
            add(this.ops, coll, 1);
            if (this.counting && process.env.BENCH_TRACE)
              process.stderr.write(`  trip ${this.trips}: ${name} ${coll}\n`);
            if (this.counting && WRITE_SIDE.has(name)) {
              if (this.firstWriteTrip === 0) this.firstWriteTrip = this.trips;
              this.lastWriteTrip = this.trips;
            }
            if (name === 'find' || name === 'aggregate') add(this.returned, coll, (result as unknown[]).length);
          }
          return result;
        } finally {
          depth -= 1;
        }
      };
    }
    // The plan names the collection and the index; the rows it yields are the engine's reads.
    const plan = e.plan.bind(engine);
    e.plan = (coll: unknown, query: unknown, sort: unknown) => {
      const p = plan(coll, query, sort) as { index: string };
      current = String(coll);
      if (this.counting) this.plans.push(`${current}:${p.index}`);
      return p;
    };
    const rows = e.rows.bind(engine) as (p: unknown) => Iterable<unknown>;
    const examined = (coll: string) => add(this.examined, coll, 1);
    e.rows = function* (p: unknown) {
      const coll = current;
      for (const row of rows(p)) {
        examined(coll);
        yield row;
      }
    } as unknown as AnyFn;
  }

  /** Runs `fn` and answers what it cost: time, round trips, reads. */
  async measure(fn: () => Promise<unknown>): Promise<CallCost> {
    this.requests = 0;
    this.trips = 0;
    this.inFlight = 0;
    this.ops = {};
    this.returned = {};
    this.examined = {};
    this.plans = [];
    this.firstWriteTrip = 0;
    this.lastWriteTrip = 0;
    this.counting = true;
    const t0 = performance.now();
    try {
      await fn();
    } finally {
      this.counting = false;
    }
    return {
      ms: performance.now() - t0,
      requests: this.requests,
      trips: this.trips,
      ops: this.ops,
      returned: this.returned,
      examined: this.examined,
      plans: [...new Set(this.plans)],
      firstWriteTrip: this.firstWriteTrip,
      lastWriteTrip: this.lastWriteTrip,
    };
  }

  /** POST /fn/<fn> as `openid` (none: as the platform, a timer); the answer's data, or an error. */
  async call<T = unknown>(fn: string, event: Record<string, unknown>, openid?: string): Promise<T> {
    const res = await fetch(`${this.cloud.url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: JSON.stringify(event),
    });
    const body = (await res.json()) as { ok?: boolean; data?: T; error?: unknown; errMsg?: string };
    if (res.status !== 200 || body.ok !== true) {
      throw new Error(`${fn}.${String(event.action ?? '')} as ${openid ?? 'platform'}: ${JSON.stringify(body)}`);
    }
    return body.data as T;
  }

  /** POST /fn/<fn> as `openid`: the function's whole answer (`{ ok, data }` or `{ ok: false, error }`). */
  async answer(fn: string, event: Record<string, unknown>, openid?: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.cloud.url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: JSON.stringify(event),
    });
    return (await res.json()) as Record<string, unknown>;
  }

  /** Inserts documents through the engine in batches; answers the time it took. */
  insert(coll: string, docs: readonly object[], batch = 1000): number {
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += batch) this.engine.insert(coll, docs.slice(i, i + batch) as Doc[]);
    return performance.now() - t0;
  }

  async setClock(iso: string | null): Promise<void> {
    this.cloud.clock.set(iso);
  }

  async close(): Promise<void> {
    await this.cloud.close();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** "volunteers 1,612, orgs 21" from a per-collection record, largest first. */
export function byCollection(r: Record<string, number>, only?: string): string {
  return Object.entries(r)
    .filter(([c]) => !only || c === only)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n.toLocaleString('en-US')}`)
    .join(', ');
}
