/**
 * The one way the mini-program reaches a cloud function. In DevTools' develop version it POSTs to the
 * local cloud's gateway; everywhere else it calls CloudBase. Either way it answers the function's own
 * Result envelope, and turns every failure on the way (no network, a non-200 answer, a body that is
 * not a Result) into `UNAVAILABLE` with a message a villager can read. It never throws.
 */
import type { ActionName, FunctionName, Req, Res } from '../contract/api';
import { ERROR_MESSAGES, isErrorCode, type ApiError, type Result } from '../contract/errors';
import { CLOUD_ENV, getLocalCloudUrl, useLocalCloud } from '../config';
import { getLocalIdentity } from './identity';

/** How long a call may take before the villager is told to try again. */
const TIMEOUT_MS = 20000;

const NETWORK_MESSAGE = '网络连接不上，请检查网络后再试。';

export function unavailable(message: string, detail?: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code: 'UNAVAILABLE', message, ...(detail ? { details: [detail] } : {}) } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Accepts exactly the envelope the functions answer with; anything else is garbage. */
export function asResult<T>(body: unknown): Result<T> | undefined {
  if (!isObject(body)) return undefined;
  if (body.ok === true && 'data' in body) return body as Result<T>;
  if (body.ok === false && isObject(body.error)) {
    const { code, message, details } = body.error;
    if (!isErrorCode(code)) return undefined;
    const error: ApiError = { code, message: typeof message === 'string' && message ? message : ERROR_MESSAGES[code] };
    if (Array.isArray(details)) error.details = details.map(String);
    return { ok: false, error };
  }
  return undefined;
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function callLocal<T>(fn: string, event: Record<string, unknown>): Promise<Result<T>> {
  const url = `${getLocalCloudUrl()}/fn/${encodeURIComponent(fn)}`;
  return new Promise((resolve) => {
    wx.request({
      url,
      method: 'POST',
      data: event,
      header: { 'content-type': 'application/json', 'x-wx-openid': getLocalIdentity() },
      timeout: TIMEOUT_MS,
      success(res) {
        if (res.statusCode !== 200) {
          resolve(unavailable(ERROR_MESSAGES.UNAVAILABLE, `${url} answered HTTP ${res.statusCode}`));
          return;
        }
        resolve(asResult<T>(parse(res.data)) ?? unavailable(ERROR_MESSAGES.UNAVAILABLE, `${url} answered no Result`));
      },
      fail(err) {
        resolve(unavailable(NETWORK_MESSAGE, `${url}: ${err.errMsg}`));
      },
    });
  });
}

let cloudReady = false;

async function callCloud<T>(fn: string, event: Record<string, unknown>): Promise<Result<T>> {
  if (!cloudReady) {
    wx.cloud.init({ ...(CLOUD_ENV ? { env: CLOUD_ENV } : {}), traceUser: true });
    cloudReady = true;
  }
  try {
    const res = await wx.cloud.callFunction({ name: fn, data: event });
    return asResult<T>(res.result) ?? unavailable(ERROR_MESSAGES.UNAVAILABLE, `${fn} answered no Result`);
  } catch (e) {
    const errMsg = isObject(e) && typeof e.errMsg === 'string' ? e.errMsg : String(e);
    return unavailable(NETWORK_MESSAGE, `${fn}: ${errMsg}`);
  }
}

/** Calls `fn` with `{ action, ...request }` and answers what the function answered. */
export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  request: Req<F, A>,
): Promise<Result<Res<F, A>>> {
  const event: Record<string, unknown> = { ...(request as object), action };
  try {
    return useLocalCloud() ? await callLocal<Res<F, A>>(fn, event) : await callCloud<Res<F, A>>(fn, event);
  } catch (e) {
    return unavailable(ERROR_MESSAGES.UNAVAILABLE, e instanceof Error ? e.message : String(e));
  }
}

/** A failed call as an Error, for code that has to reject (app.ready()). */
export interface ServiceFailure extends Error {
  apiError: ApiError;
}

export function toFailure(error: ApiError): ServiceFailure {
  return Object.assign(new Error(error.message), { name: 'ServiceFailure', apiError: error });
}

/** What to show for anything caught: the ApiError a call failed with, or INTERNAL. */
export function apiErrorOf(e: unknown): ApiError {
  if (isObject(e) && isObject(e.apiError) && isErrorCode(e.apiError.code) && typeof e.apiError.message === 'string') {
    return e.apiError as unknown as ApiError;
  }
  return { code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL };
}

/** The data of a successful Result, or a rejection carrying its ApiError. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw toFailure(result.error);
  return result.data;
}
