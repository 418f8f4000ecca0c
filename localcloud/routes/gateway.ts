/**
 * POST /fn/<name>: the function gateway for curl, the page tests and the mini-program in development.
 * The event is the JSON body, the caller the `x-wx-openid` header; errors carry the codes
 * wx.cloud.callFunction would.
 */
import type { CallResult, FunctionPool } from '../functions/pool';
import { claimedOpenid, OPENID, readBody, send, type Route } from './http';

/** Runs a function as `openid` (undefined: the platform itself, as for timers and pushes). */
export type Invoke = (name: string, event: unknown, openid: string | undefined) => Promise<CallResult>;

const MAX_DEPTH = 32;

/**
 * A body no function can read: the typed envelope every caller of the project's functions understands,
 * with the platform's code beside it.
 */
const badBody = (why: string) => ({
  ok: false,
  error: { code: 'INVALID_ARGUMENT', message: '请求格式不对。', details: [why] },
  errCode: -501007,
  errMsg: why,
});

/** How deeply arrays and objects nest, counted without recursion (the body may be hostile). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

export function gatewayRoute(pool: FunctionPool, invoke: Invoke): Route {
  return async ({ req, res, url, method }) => {
    const fn = /^\/fn\/([^/]+)$/.exec(url.pathname);
    if (!fn || method !== 'POST') return false;
    const name = decodeURIComponent(fn[1]);
    if (!pool.exists(name)) {
      send(res, 404, { errCode: -501000, errMsg: `FunctionName parameter could not be found: ${name}` });
      return true;
    }
    const openid = claimedOpenid(req);
    if (openid !== undefined && !OPENID.test(openid)) {
      send(res, 400, { errCode: -501007, errMsg: 'x-wx-openid must be 1–64 letters, digits, _ or -' });
      return true;
    }
    let event: unknown;
    try {
      const text = (await readBody(req)).toString('utf8');
      event = text ? JSON.parse(text) : {};
    } catch {
      send(res, 400, badBody('the event must be JSON'));
      return true;
    }
    // The platform refuses such events before any function runs; deeper ones overflow a validator's stack.
    if (depthOf(event) > MAX_DEPTH) {
      send(res, 400, badBody(`the event is nested deeper than ${MAX_DEPTH} levels`));
      return true;
    }
    const r = await invoke(name, event, openid);
    if (r.ok) send(res, 200, r.result);
    else if (r.busy) send(res, 503, { errCode: -501004, errMsg: `exceed concurrent request limit: ${r.error ?? ''}` });
    else
      send(res, 500, { errCode: r.timedOut ? -504003 : -504002, errMsg: `functions execute fail: ${r.error ?? ''}` });
    return true;
  };
}
