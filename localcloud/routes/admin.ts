/**
 * /_admin/…: what a developer or a test drives the local cloud with and CloudBase has no counterpart
 * for: health, the movable clock, the open API calls recorded, WeChat's message pushes, subscription
 * grants (what the villager's 允许 in wx.requestSubscribeMessage gives) and phone-number codes.
 */
import type http from 'node:http';
import type { Clock } from '../clock';
import type { Engine } from '../db/engine';
import { TcbError } from '../db/errors';
import type { FunctionPool } from '../functions/pool';
import { OpenApi, type PushDelivery } from '../openapi';
import { readBody, send, type Route } from './http';

export interface AdminRouteDeps {
  env: string;
  engine: Engine;
  clock: Clock;
  openapi: OpenApi;
  pushes: PushDelivery;
  pool: FunctionPool;
}

async function jsonObject(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  const v: unknown = text ? JSON.parse(text) : {};
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new TcbError('INVALID_PARAM', 'body must be a JSON object');
  return v as Record<string, unknown>;
}

export function adminRoute({ env, engine, clock, openapi, pushes, pool }: AdminRouteDeps): Route {
  const clockNow = () => ({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offset() });

  return async ({ req, res, url, method }) => {
    if (!url.pathname.startsWith('/_admin/')) return false;
    switch (`${method} ${url.pathname}`) {
      case 'GET /_admin/health':
        send(res, 200, { ok: true, env, functions: pool.list(), collections: engine.collections() });
        return true;
      case 'GET /_admin/clock':
        send(res, 200, clockNow());
        return true;
      case 'POST /_admin/clock': {
        const b = await jsonObject(req);
        if (b.now !== null && typeof b.now !== 'string') {
          send(res, 400, { error: 'now must be an ISO time or null' });
          return true;
        }
        try {
          clock.set(b.now);
        } catch (e) {
          send(res, 400, { error: (e as Error).message });
          return true;
        }
        send(res, 200, clockNow());
        return true;
      }
      case 'GET /_admin/openapi': {
        const api = url.searchParams.get('api');
        send(res, 200, { calls: openapi.calls.filter((c) => !api || c.api === api) });
        return true;
      }
      case 'DELETE /_admin/openapi':
        openapi.calls.length = 0;
        send(res, 200, { ok: true });
        return true;
      case 'GET /_admin/pushes': {
        const fn = url.searchParams.get('function');
        send(res, 200, { pushes: pushes.pushes.filter((p) => !fn || p.function === fn) });
        return true;
      }
      case 'POST /_admin/subscriptions': {
        const b = await jsonObject(req);
        if (typeof b.openid !== 'string' || !Array.isArray(b.templateIds)) {
          send(res, 400, { error: 'openid and templateIds are required' });
          return true;
        }
        for (const t of b.templateIds) openapi.grantSubscription(b.openid, String(t), Number(b.count ?? 1));
        send(res, 200, { ok: true });
        return true;
      }
      case 'POST /_admin/phone-code': {
        const b = await jsonObject(req);
        if (typeof b.phone !== 'string' || !/^1\d{10}$/.test(b.phone)) {
          send(res, 400, { error: 'phone must be an 11-digit mainland number' });
          return true;
        }
        send(res, 200, { code: OpenApi.phoneCode(b.phone) });
        return true;
      }
      default:
        send(res, 404, { error: `no admin route ${method} ${url.pathname}` });
        return true;
    }
  };
}
