/**
 * The local cloud: a development stand-in for CloudBase on 127.0.0.1. It serves
 *   POST /admin          the tcb API that wx-server-sdk speaks (database, storage, open APIs, functions)
 *   POST /fn/<name>      the function gateway: the event as JSON body, the caller in `x-wx-openid`
 *   /_storage/…          temporary file URLs and uploads
 *   /_admin/…            the clock, recorded open API calls, subscription grants, phone codes, pushes
 * It is not CloudBase and must never face the internet: identity here is whatever a header says.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Busboy from 'busboy';
import { Engine, type CollectionDef } from './db/engine';
import { TcbError } from './db/errors';
import { Clock } from './clock';
import { Storage } from './storage';
import { OpenApi, PushDelivery } from './openapi';
import { FunctionPool, type Caller } from './functions/pool';
import { handleTcb, type Params, type TcbContext } from './tcb';
import { startTimers, timerTriggers, type TimerTrigger } from './timers';
import { quotaFor, type Quota } from './quota';

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

const MAX_BODY = 20 * 1024 * 1024;
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

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

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new TcbError('INVALID_PARAM', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function readMultipart(
  req: http.IncomingMessage,
): Promise<{ fields: Record<string, string>; files: Record<string, Buffer> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, Buffer> = {};
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { fileSize: MAX_BODY } });
    } catch (e) {
      reject(new TcbError('INVALID_PARAM', (e as Error).message));
      return;
    }
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        files[name] = Buffer.concat(chunks);
      });
    });
    bb.on('close', () => resolve({ fields, files }));
    bb.on('error', reject);
    req.pipe(bb);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
  res.end(text);
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

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';

    if (method === 'POST' && u.pathname === '/admin') {
      const type = req.headers['content-type'] ?? '';
      if (type.startsWith('multipart/form-data')) {
        const { fields, files } = await readMultipart(req);
        if (fields.action === 'wx.openApi') {
          const caller = tokens.get(fields.wxCloudApiToken ?? '')?.openid;
          const params = files.requestData ? OpenApi.decodeParams(files.requestData) : {};
          const reply = await openapi.call(fields.apiName ?? '', params, caller);
          pushes.afterOpenApi(fields.apiName ?? '', params, reply);
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(OpenApi.encodeReply(reply));
          return;
        }
        send(res, 200, await handleTcb(ctx, { ...fields }));
        return;
      }
      let params: Params;
      try {
        const parsed: unknown = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        params = parsed as Params;
      } catch {
        send(res, 200, {
          requestId: randomBytes(8).toString('hex'),
          code: 'INVALID_PARAM',
          message: 'request body must be a JSON object',
        });
        return;
      }
      send(res, 200, await handleTcb(ctx, params));
      return;
    }

    const fn = /^\/fn\/([^/]+)$/.exec(u.pathname);
    if (fn && method === 'POST') {
      const name = decodeURIComponent(fn[1]);
      if (!pool.exists(name)) {
        send(res, 404, { errCode: -501000, errMsg: `FunctionName parameter could not be found: ${name}` });
        return;
      }
      const header = req.headers['x-wx-openid'];
      const openid = Array.isArray(header) ? header[0] : header;
      if (openid !== undefined && !OPENID.test(openid)) {
        send(res, 400, { errCode: -501007, errMsg: 'x-wx-openid must be 1–64 letters, digits, _ or -' });
        return;
      }
      let event: unknown;
      try {
        const text = (await readBody(req)).toString('utf8');
        event = text ? JSON.parse(text) : {};
      } catch {
        send(res, 400, { errCode: -501007, errMsg: 'the event must be JSON' });
        return;
      }
      const r = await invoke(name, event, openid);
      if (r.ok) send(res, 200, r.result);
      else if (r.busy)
        send(res, 503, { errCode: -501004, errMsg: `exceed concurrent request limit: ${r.error ?? ''}` });
      else
        send(res, 500, { errCode: r.timedOut ? -504003 : -504002, errMsg: `functions execute fail: ${r.error ?? ''}` });
      return;
    }

    const file = /^\/_storage\/(get|put)\/(.+)$/.exec(u.pathname);
    if (file) {
      const cloudPath = storage.safePath(file[2].split('/').map(decodeURIComponent).join('/'));
      const ok = storage.verify(
        cloudPath,
        Number(u.searchParams.get('expires')),
        u.searchParams.get('sign') ?? '',
        clock.now(),
      );
      if (!ok) {
        send(res, 403, { code: 'STORAGE_SIGN_PARAM_INVALID', message: 'the link has expired or is invalid' });
        return;
      }
      if (file[1] === 'get' && (method === 'GET' || method === 'HEAD')) {
        const content = storage.read(cloudPath);
        if (!content) {
          send(res, 404, { code: 'STORAGE_FILE_NONEXIST', message: 'file does not exist' });
          return;
        }
        res.writeHead(200, { 'content-type': contentType(cloudPath), 'content-length': content.length });
        res.end(method === 'HEAD' ? undefined : content);
        return;
      }
      if (file[1] === 'put' && method === 'PUT') {
        storage.write(cloudPath, await readBody(req));
        res.writeHead(200);
        res.end('');
        return;
      }
    }

    if (method === 'POST' && u.pathname === '/_storage/upload') {
      // The mini-program's wx.uploadFile in local development (wx.cloud.uploadFile in production).
      const header = req.headers['x-wx-openid'];
      if (typeof header !== 'string' || !OPENID.test(header)) {
        send(res, 401, { errCode: -501007, errMsg: 'x-wx-openid is required' });
        return;
      }
      const { fields, files } = await readMultipart(req);
      const content = files.file;
      if (!content || !fields.cloudPath) {
        send(res, 400, { errCode: -501007, errMsg: 'cloudPath and file are required' });
        return;
      }
      send(res, 200, { fileID: storage.write(fields.cloudPath, content) });
      return;
    }

    if (u.pathname.startsWith('/_admin/')) {
      await adminRoute(u, method, req, res);
      return;
    }

    if (u.pathname === '/' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        `文明实践云 · local cloud (env ${env})\n` +
          'A development stand-in for CloudBase. Not for production: identity here is whatever the x-wx-openid header says.\n' +
          `functions: ${pool.list().join(', ')}\ncollections: ${engine.collections().join(', ')}\n`,
      );
      return;
    }
    send(res, 404, { errCode: -1, errMsg: `no route ${method} ${u.pathname}` });
  }

  async function adminRoute(
    u: URL,
    method: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const body = async (): Promise<Record<string, unknown>> => {
      const text = (await readBody(req)).toString('utf8');
      const v: unknown = text ? JSON.parse(text) : {};
      if (!v || typeof v !== 'object' || Array.isArray(v))
        throw new TcbError('INVALID_PARAM', 'body must be a JSON object');
      return v as Record<string, unknown>;
    };
    switch (`${method} ${u.pathname}`) {
      case 'GET /_admin/health':
        send(res, 200, { ok: true, env, functions: pool.list(), collections: engine.collections() });
        return;
      case 'GET /_admin/clock':
        send(res, 200, { now: new Date(clock.now()).toISOString(), offsetMs: clock.offset() });
        return;
      case 'POST /_admin/clock': {
        const b = await body();
        if (b.now !== null && typeof b.now !== 'string') {
          send(res, 400, { error: 'now must be an ISO time or null' });
          return;
        }
        try {
          clock.set(b.now);
        } catch (e) {
          send(res, 400, { error: (e as Error).message });
          return;
        }
        send(res, 200, { now: new Date(clock.now()).toISOString(), offsetMs: clock.offset() });
        return;
      }
      case 'GET /_admin/openapi': {
        const api = u.searchParams.get('api');
        send(res, 200, { calls: openapi.calls.filter((c) => !api || c.api === api) });
        return;
      }
      case 'DELETE /_admin/openapi':
        openapi.calls.length = 0;
        send(res, 200, { ok: true });
        return;
      case 'GET /_admin/pushes': {
        const fn = u.searchParams.get('function');
        send(res, 200, { pushes: pushes.pushes.filter((p) => !fn || p.function === fn) });
        return;
      }
      case 'POST /_admin/subscriptions': {
        const b = await body();
        if (typeof b.openid !== 'string' || !Array.isArray(b.templateIds)) {
          send(res, 400, { error: 'openid and templateIds are required' });
          return;
        }
        for (const t of b.templateIds) openapi.grantSubscription(b.openid, String(t), Number(b.count ?? 1));
        send(res, 200, { ok: true });
        return;
      }
      case 'POST /_admin/phone-code': {
        const b = await body();
        if (typeof b.phone !== 'string' || !/^1\d{10}$/.test(b.phone)) {
          send(res, 400, { error: 'phone must be an 11-digit mainland number' });
          return;
        }
        send(res, 200, { code: OpenApi.phoneCode(b.phone) });
        return;
      }
      default:
        send(res, 404, { error: `no admin route ${method} ${u.pathname}` });
    }
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
  server.keepAliveTimeout = 5000;
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

function contentType(p: string): string {
  const ext = path.extname(p).toLowerCase();
  return (
    { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' }[
      ext
    ] ?? 'application/octet-stream'
  );
}
