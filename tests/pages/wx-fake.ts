/**
 * The parts of `wx` that miniprogram-simulate stubs with canned answers, made real enough for the
 * pages to talk to a real local cloud: wx.request over Node's http module, storage in memory, and the
 * account info of DevTools' develop version. wx.cloud fails loudly: tests must never take that route.
 */
import http from 'node:http';

export interface RecordedRequest {
  url: string;
  method: string;
  header: Record<string, string>;
  data: unknown;
}

interface RequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  timeout?: number;
  dataType?: string;
  success?: (res: {
    data: unknown;
    statusCode: number;
    header: Record<string, unknown>;
    cookies: string[];
    errMsg: string;
  }) => void;
  fail?: (err: { errMsg: string; errno?: number }) => void;
  complete?: (res: unknown) => void;
}

/** Every wx.request the mini-program made, oldest first. */
export const requests: RecordedRequest[] = [];

export const storage = new Map<string, unknown>();

export function resetWx(): void {
  requests.length = 0;
  storage.clear();
}

function body(data: unknown, header: Record<string, string>): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') return data;
  const type = Object.entries(header).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'application/json';
  if (type.includes('application/json')) return JSON.stringify(data);
  return new URLSearchParams(data as Record<string, string>).toString();
}

/** wx.request as the documentation describes it: success for any HTTP status, fail only when no answer came. */
function request(options: RequestOptions): { abort(): void } {
  const header = { ...(options.header ?? {}) };
  const method = (options.method ?? 'GET').toUpperCase();
  requests.push({ url: options.url, method, header, data: options.data });
  const payload = method === 'GET' ? undefined : body(options.data, header);
  let settled = false;
  const finish = (fn: () => void) => {
    if (settled) return;
    settled = true;
    fn();
  };
  const fail = (errMsg: string) =>
    finish(() => {
      const err = { errMsg: `request:fail ${errMsg}`, errno: 600001 };
      options.fail?.(err);
      options.complete?.(err);
    });

  let req: http.ClientRequest;
  try {
    req = http.request(options.url, {
      method,
      headers: payload === undefined ? header : { ...header, 'content-length': Buffer.byteLength(payload) },
      timeout: options.timeout ?? 60000,
    });
  } catch (e) {
    fail((e as Error).message);
    return { abort() {} };
  }
  req.on('response', (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', (e) => fail(e.message));
    res.on('end', () =>
      finish(() => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        if ((options.dataType ?? 'json') === 'json') {
          try {
            data = JSON.parse(text);
          } catch {
            /* WeChat hands over the raw text when it is not JSON */
          }
        }
        const ok = { data, statusCode: res.statusCode ?? 0, header: res.headers, cookies: [], errMsg: 'request:ok' };
        options.success?.(ok);
        options.complete?.(ok);
      }),
    );
  });
  req.on('timeout', () => {
    req.destroy();
    fail('timeout');
  });
  req.on('error', (e) => fail(e.message));
  req.end(payload);
  return {
    abort() {
      req.destroy();
      fail('abort');
    },
  };
}

const unavailableInTests = () => {
  throw new Error('wx.cloud is not available in page tests: the transport should have used the local cloud');
};

/** Installs the fakes over whatever `wx` miniprogram-simulate defined. */
export function installWx(): void {
  const g = globalThis as { wx?: Record<string, unknown> };
  const wx = g.wx ?? (g.wx = {});
  Object.assign(wx, {
    request,
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => {
      storage.set(key, value);
    },
    removeStorageSync: (key: string) => {
      storage.delete(key);
    },
    clearStorageSync: () => storage.clear(),
    getAccountInfoSync: () => ({
      miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
      plugin: {},
    }),
    cloud: { init: unavailableInTests, callFunction: unavailableInTests },
  });
}
