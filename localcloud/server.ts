/**
 * The local cloud: a development stand-in for CloudBase on 127.0.0.1. It serves
 *   POST /admin          the tcb API that wx-server-sdk speaks (database, storage, open APIs, functions)
 *   POST /fn/<name>      the function gateway: the event as JSON body, the caller in `x-wx-openid`
 *   /_storage/…          temporary file URLs and uploads
 *   /_admin/…            the clock, recorded open API calls, subscription grants, phone codes, pushes
 * Each route lives in routes/; this file builds the parts (database, clock, storage, open APIs, function
 * pool, timers) and hands each route what it needs.
 * It is not CloudBase and must never face the internet: identity here is whatever a header says.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Engine, type CollectionDef } from './db/engine';
import { TcbError } from './db/errors';
import { Clock } from './clock';
import { Storage } from './storage';
import { OpenApi, PushDelivery } from './openapi';
import { FunctionPool, type Caller } from './functions/pool';
import type { TcbContext } from './tcb';
import { startTimers, timerTriggers, type TimerTrigger } from './timers';
import { quotaFor, type Quota } from './quota';
import { adminRoute } from './routes/admin';
import { bigscreenRoute } from './routes/bigscreen';
import { gatewayRoute } from './routes/gateway';
import { homeRoute } from './routes/home';
import { send, type Route } from './routes/http';
import { storageRoute } from './routes/storage';
import { tcbRoute } from './routes/tcb';
import { phoneKeyEnv } from './phonekeys';

export interface LocalCloudOptions {
  dataDir: string;
  port?: number;
  host?: string;
  env?: string;
  /** The project root: cloudfunctions/, database/, miniprogram/ and .build/ are found from here. */
  root: string;
  /** Where the built functions are; cloudfunctions/ under root unless given (tests use fixtures). */
  functionsDir?: string;
  /** How long after mediaCheckAsync its verdict is pushed (LOCALCLOUD_PUSH_DELAY_MS, else 300 ms). */
  pushDelayMs?: number;
  /** Fire the functions' timer triggers on their schedules (npm start does; tests call timers directly). */
  timers?: boolean;
  /** 'base' enforces the base tier's quotas (README); LOCALCLOUD_QUOTA unless given. */
  quota?: string;
}

export interface LocalCloud {
  url: string;
  port: number;
  env: string;
  engine: Engine;
  clock: Clock;
  openapi: OpenApi;
  pool: FunctionPool;
  storage: Storage;
  /** WeChat's message pushes (the media check verdict), delivered to functions and recorded. */
  pushes: PushDelivery;
  /** The timer triggers being fired (empty unless started with timers: true). */
  timers: TimerTrigger[];
  /** The quotas being enforced (null: none). */
  quota: Quota | null;
  close(): Promise<void>;
}

export function loadDefinitions(root: string): CollectionDef[] {
  const dir = path.join(root, 'database', 'collections');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CollectionDef);
}

function appPages(root: string): string[] {
  try {
    const app = JSON.parse(fs.readFileSync(path.join(root, 'miniprogram', 'app.json'), 'utf8')) as {
      pages?: string[];
      subpackages?: { root: string; pages: string[] }[];
      subPackages?: { root: string; pages: string[] }[];
    };
    const subs = app.subpackages ?? app.subPackages ?? [];
    return [...(app.pages ?? []), ...subs.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))];
  } catch {
    return [];
  }
}

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const env = opts.env ?? 'local-dev';
  const host = opts.host ?? '127.0.0.1';
  const clock = new Clock();
  // Transactions' time limit runs on real time; the movable clock is for serverDate, links and SLAs.
  const engine = new Engine(path.join(opts.dataDir, 'db'));
  engine.applyDefinitions(loadDefinitions(opts.root));
  const quota = quotaFor(opts.quota ?? process.env.LOCALCLOUD_QUOTA);
  let url = '';
  const storage = new Storage(opts.dataDir, env, () => url);
  const openapi = new OpenApi(
    () => clock.now(),
    () => appPages(opts.root),
  );
  /** Each running call's token (WX_API_TOKEN) → its caller, so nested calls keep the identity. */
  const tokens = new Map<string, Caller>();
  const pool = new FunctionPool(
    opts.functionsDir ?? path.join(opts.root, 'cloudfunctions'),
    path.join(opts.root, '.build', 'localcloud', 'worker.js'),
    () => ({
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'local',
      TENCENTCLOUD_SECRETKEY: 'local',
      TCB_ENV: env,
      SCF_NAMESPACE: env,
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url}/admin` }),
      SILENCE: 'true',
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      TZ: 'UTC',
      ...phoneKeyEnv(),
    }),
    () => clock.offset(),
  );
  pool.quota = quota;

  const invoke = async (name: string, event: unknown, openid: string | undefined) => {
    const caller: Caller = { openid, token: randomBytes(12).toString('hex') };
    tokens.set(caller.token, caller);
    try {
      return await pool.call(name, event, caller);
    } finally {
      tokens.delete(caller.token);
    }
  };

  // Message pushes (消息推送): delivered as the platform, with no caller identity.
  const pushes = new PushDelivery(
    () => clock.now(),
    (name, event) => invoke(name, event, undefined),
    (name) => pool.exists(name),
    opts.pushDelayMs,
  );

  const ctx: TcbContext = {
    engine,
    quota,
    storage,
    now: () => clock.now(),
    invoke: async (name, event, token) => {
      if (!pool.exists(name)) return { ok: false, error: `function ${name} does not exist` };
      return invoke(name, event, tokens.get(token)?.openid);
    },
  };

  const sweeper = setInterval(() => engine.expireTransactions(), 5000);
  sweeper.unref();

  const routes: Route[] = [
    tcbRoute(ctx, { openapi, pushes, tokens }),
    gatewayRoute(pool, invoke),
    bigscreenRoute(opts.root, pool, invoke),
    storageRoute(storage, clock),
    adminRoute({ env, engine, clock, openapi, pushes, pool }),
    homeRoute(env, pool, engine),
  ];

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = { req, res, url: new URL(req.url ?? '/', 'http://local'), method: req.method ?? 'GET' };
    for (const r of routes) if (await r(request)) return;
    send(res, 404, { errCode: -1, errMsg: `no route ${request.method} ${request.url.pathname}` });
  }

  const server = http.createServer((req, res) => {
    if (quota && !quota.admitConnection(req, res)) return;
    route(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        const status = e instanceof TcbError ? 400 : 500;
        send(res, status, { code: e instanceof TcbError ? e.code : 'SYS_ERR', message: (e as Error).message });
      }
    });
  });
  // Longer than any client keeps an idle connection (undici 4 s, the SDKs' agents), so the client always
  // drops an idle socket first: a server that closes first races a request being sent on it (ECONNRESET),
  // which a loaded machine makes likely. close() drops every connection, so this does not delay a stop.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const timers = opts.timers ? timerTriggers(pool) : [];
  const stopTimers = startTimers(timers, (fn, event) => invoke(fn, event, undefined).then((r) => r.result ?? r.error));

  return {
    url,
    port,
    env,
    engine,
    clock,
    openapi,
    pool,
    storage,
    pushes,
    timers,
    quota,
    async close() {
      stopTimers();
      clearInterval(sweeper);
      await pushes.stop();
      await pool.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      engine.close();
    },
  };
}
