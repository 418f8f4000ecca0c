/**
 * A local cloud of its own for one test file: a fresh data folder, a free port, the real functions
 * (built by `npm test` before jest starts) or fixture functions. Calls go through the gateway over
 * HTTP, exactly as the mini-program's local transport and scripts make them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../localcloud/server';
import { seedDemo, type SeedReport } from '../../localcloud/seed';
import { ROOT } from '../../scripts/lib/project';

export interface TestCloud extends LocalCloud {
  dataDir: string;
  /** POST /fn/<fn> as `openid` (no openid: a call from the platform, as a timer makes). */
  call<T = unknown>(fn: string, event: unknown, openid?: string): Promise<T>;
  /** The raw gateway response, for status codes and malformed bodies. */
  post(
    pathname: string,
    body: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: unknown }>;
  setClock(iso: string | null): Promise<void>;
  /** What the demo seed loaded, when started with { demo: true }. */
  demo?: SeedReport;
}

export function tempDir(prefix = 'wm-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestCloud(
  opts: { functionsDir?: string; dataDir?: string; demo?: boolean; timers?: boolean } = {},
): Promise<TestCloud> {
  const dataDir = opts.dataDir ?? tempDir();
  const cloud = await startLocalCloud({
    root: ROOT,
    dataDir,
    port: 0,
    env: 'local-test',
    functionsDir: opts.functionsDir,
    timers: opts.timers,
  });
  const demo = opts.demo ? seedDemo(cloud.engine, new Date(cloud.clock.now())) : undefined;
  const closeCloud = cloud.close.bind(cloud);
  const post: TestCloud['post'] = async (pathname, body, headers = {}) => {
    const res = await fetch(`${cloud.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, json };
  };
  return Object.assign(cloud, {
    dataDir,
    demo,
    post,
    async call<T>(fn: string, event: unknown, openid?: string): Promise<T> {
      const r = await post(`/fn/${fn}`, JSON.stringify(event), openid ? { 'x-wx-openid': openid } : {});
      if (r.status !== 200) throw new Error(`gateway answered ${r.status}: ${JSON.stringify(r.json)}`);
      return r.json as T;
    },
    async setClock(iso: string | null) {
      const r = await post('/_admin/clock', JSON.stringify({ now: iso }));
      if (r.status !== 200) throw new Error(`clock: ${JSON.stringify(r.json)}`);
    },
    close: async () => {
      await closeCloud();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * The real wx-server-sdk in the test process, pointed at a local cloud — the same client the functions
 * use, for tests of the database stand-in itself.
 */
export function sdkFor(cloud: LocalCloud): typeof import('wx-server-sdk') {
  Object.assign(process.env, {
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    // As inside a real function: no probing of Tencent Cloud's metadata service (a DNS lookup here).
    TENCENTCLOUD_RUNENV: 'SCF',
    TCB_ENV: cloud.env,
    SILENCE: 'true',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('wx-server-sdk') as typeof import('wx-server-sdk');
  sdk.init({ env: cloud.env, serviceUrl: `${cloud.url}/admin` } as Parameters<typeof sdk.init>[0]);
  return sdk;
}
