/**
 * Runs the built cloud functions (`cloudfunctions/<name>/index.js`) the way CloudBase does: each in
 * instances that serve one call at a time, warm between calls, with the function's own timeout from
 * its config.json, the caller's identity injected into the environment wx-server-sdk reads, and the
 * SDK pointed at this local cloud.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Quota } from '../quota';

export interface CallResult {
  ok: boolean;
  result?: unknown;
  error?: string;
  timedOut?: boolean;
  /** Refused before it ran: the function's concurrent requests were all taken (quota mode). */
  busy?: boolean;
}

export interface Caller {
  openid?: string;
  token: string;
}

interface Instance {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  mtimeMs: number;
}

interface FunctionConfig {
  timeout?: number;
  triggers?: { name: string; type: string; config: string }[];
  permissions?: { openapi?: string[] };
}

const PER_CALL_KEYS = [
  'WX_CONTEXT_KEYS',
  'WX_OPENID',
  'WX_APPID',
  'WX_UNIONID',
  'WX_CLIENTIP',
  'WX_API_TOKEN',
  'WX_TRIGGER_API_TOKEN_V0',
  'TCB_SOURCE',
  'TRIGGER_SRC',
  'LOCALCLOUD_CLOCK_OFFSET_MS',
];

export const LOCAL_APPID = 'wxlocalcloud000000';

export class FunctionPool {
  private readonly instances = new Map<string, Instance[]>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private callSeq = 0;
  /** The quotas to enforce on calls (LOCALCLOUD_QUOTA=base); none when null. */
  quota: Quota | null = null;

  constructor(
    private readonly functionsDir: string,
    private readonly workerScript: string,
    private readonly baseEnv: () => Record<string, string>,
    private readonly clockOffset: () => number,
    private readonly maxInstances = Number(process.env.LOCALCLOUD_MAX_INSTANCES ?? 8),
  ) {}

  /** Deployable functions: folders with a config.json and a built index.js. */
  list(): string[] {
    if (!fs.existsSync(this.functionsDir)) return [];
    return fs
      .readdirSync(this.functionsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(this.functionsDir, d.name, 'config.json')))
      .map((d) => d.name)
      .sort();
  }

  config(name: string): FunctionConfig {
    const file = path.join(this.functionsDir, name, 'config.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionConfig;
  }

  exists(name: string): boolean {
    return /^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(name) && this.list().includes(name) && fs.existsSync(this.entry(name));
  }

  private entry(name: string): string {
    return path.join(this.functionsDir, name, 'index.js');
  }

  private spawn(name: string): Instance {
    const entry = this.entry(name);
    const worker = new Worker(this.workerScript, {
      workerData: { entry },
      env: { ...this.baseEnv(), SCF_FUNCTIONNAME: name },
      stdout: false,
      stderr: false,
    });
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { type: string; error?: string }) => {
        if (m.type === 'ready') resolve();
        else reject(new Error(m.error ?? 'function failed to load'));
      });
      worker.once('error', reject);
    });
    ready.catch(() => undefined);
    const inst: Instance = { worker, ready, busy: false, mtimeMs: fs.statSync(entry).mtimeMs };
    worker.once('exit', () => this.forget(name, inst));
    const list = this.instances.get(name) ?? [];
    list.push(inst);
    this.instances.set(name, list);
    return inst;
  }

  private forget(name: string, inst: Instance): void {
    this.instances.set(
      name,
      (this.instances.get(name) ?? []).filter((i) => i !== inst),
    );
    this.wake(name);
  }

  private wake(name: string): void {
    const next = this.waiting.get(name)?.shift();
    if (next) next();
  }

  private async acquire(name: string): Promise<Instance> {
    const mtimeMs = fs.statSync(this.entry(name)).mtimeMs;
    for (;;) {
      const list = this.instances.get(name) ?? [];
      // A rebuilt function replaces its idle instances, as a redeploy does.
      for (const stale of list.filter((i) => !i.busy && i.mtimeMs !== mtimeMs)) void stale.worker.terminate();
      const idle = list.find((i) => !i.busy && i.mtimeMs === mtimeMs);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (list.filter((i) => i.mtimeMs === mtimeMs).length < this.maxInstances) {
        const inst = this.spawn(name);
        inst.busy = true;
        return inst;
      }
      await new Promise<void>((resolve) => {
        const q = this.waiting.get(name) ?? [];
        q.push(resolve);
        this.waiting.set(name, q);
      });
    }
  }

  private release(name: string, inst: Instance): void {
    inst.busy = false;
    this.wake(name);
  }

  async call(name: string, event: unknown, caller: Caller): Promise<CallResult> {
    const leave = this.quota ? this.quota.enterFunction(name) : () => undefined;
    if (!leave) return { ok: false, busy: true, error: `${name} is serving its limit of concurrent requests` };
    try {
      return await this.run(name, event, caller);
    } finally {
      leave();
    }
  }

  private async run(name: string, event: unknown, caller: Caller): Promise<CallResult> {
    const inst = await this.acquire(name);
    try {
      await inst.ready;
    } catch (e) {
      void inst.worker.terminate();
      return { ok: false, error: (e as Error).message };
    }
    const timeoutMs = Math.max(1, Number(this.config(name).timeout ?? 3)) * 1000;
    const callId = (this.callSeq += 1);
    const env: Record<string, string> = {
      WX_API_TOKEN: caller.token,
      LOCALCLOUD_CLOCK_OFFSET_MS: String(this.clockOffset()),
    };
    if (caller.openid) {
      Object.assign(env, {
        // As on CloudBase, the call's API token is listed too: getWXContext() hides it, the SDK sends it.
        WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_API_TOKEN',
        WX_OPENID: caller.openid,
        WX_APPID: LOCAL_APPID,
        WX_UNIONID: '',
        WX_CLIENTIP: '127.0.0.1',
        TCB_SOURCE: 'wx_client',
      });
    } else {
      Object.assign(env, {
        WX_CONTEXT_KEYS: 'WX_API_TOKEN,WX_TRIGGER_API_TOKEN_V0',
        WX_TRIGGER_API_TOKEN_V0: caller.token,
        TRIGGER_SRC: 'timer',
        TCB_SOURCE: 'wx_trigger',
      });
    }
    return new Promise<CallResult>((resolve) => {
      const timer = setTimeout(() => {
        cleanup();
        void inst.worker.terminate();
        resolve({ ok: false, timedOut: true, error: `Invoking task timed out after ${timeoutMs / 1000} seconds` });
      }, timeoutMs);
      const onMessage = (m: { type: string; callId: number; ok: boolean; result?: unknown; error?: string }) => {
        if (m.type !== 'result' || m.callId !== callId) return;
        cleanup();
        this.release(name, inst);
        resolve(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
      };
      const onExit = () => {
        cleanup();
        resolve({ ok: false, error: 'the function instance exited during the call' });
      };
      const cleanup = () => {
        clearTimeout(timer);
        inst.worker.off('message', onMessage);
        inst.worker.off('exit', onExit);
      };
      inst.worker.on('message', onMessage);
      inst.worker.once('exit', onExit);
      inst.worker.postMessage({ callId, event, env, perCallKeys: PER_CALL_KEYS });
    });
  }

  async close(): Promise<void> {
    const all = [...this.instances.values()].flat();
    this.instances.clear();
    await Promise.all(all.map((i) => i.worker.terminate()));
  }
}
