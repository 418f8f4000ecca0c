/**
 * The big screen in development: GET /bigscreen/ serves the built page (.build/bigscreen, written by
 * scripts/build.ts), and /bigscreen/api stands in for CloudBase's HTTP access service: it calls the
 * `bigscreen` function with the event that service sends (path, httpMethod, headers, query) and writes
 * the integration response the function answers ({ statusCode, headers, body }).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FunctionPool } from '../functions/pool';
import type { Invoke } from './gateway';
import { send, type Route } from './http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Integration {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export function bigscreenRoute(root: string, pool: FunctionPool, invoke: Invoke): Route {
  const dir = path.join(root, '.build', 'bigscreen');
  return async ({ req, res, url, method }) => {
    if (url.pathname === '/bigscreen') {
      res.writeHead(301, { location: '/bigscreen/' });
      res.end();
      return true;
    }
    if (!url.pathname.startsWith('/bigscreen/')) return false;
    const rest = url.pathname.slice('/bigscreen/'.length);

    if (rest === 'api') {
      if (!pool.exists('bigscreen')) {
        send(res, 404, { errCode: -501000, errMsg: 'the bigscreen function is not built' });
        return true;
      }
      const event = {
        path: '/bigscreen/api',
        httpMethod: method,
        headers: req.headers,
        queryStringParameters: Object.fromEntries(url.searchParams),
        body: '',
        isBase64Encoded: false,
      };
      const r = await invoke('bigscreen', event, undefined);
      if (!r.ok) {
        send(res, 502, { errCode: -504002, errMsg: `functions execute fail: ${r.error ?? ''}` });
        return true;
      }
      const answer = (r.result ?? {}) as Integration;
      if (typeof answer.statusCode !== 'number') {
        send(res, 200, r.result);
        return true;
      }
      res.writeHead(answer.statusCode, answer.headers ?? {});
      res.end(answer.isBase64Encoded ? Buffer.from(answer.body ?? '', 'base64') : (answer.body ?? ''));
      return true;
    }

    if (method !== 'GET' && method !== 'HEAD') return false;
    const name = rest === '' ? 'index.html' : rest;
    const file = path.resolve(dir, name);
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      send(res, 404, { errCode: -1, errMsg: `no ${url.pathname} (run npm run build)` });
      return true;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(method === 'HEAD' ? undefined : fs.readFileSync(file));
    return true;
  };
}
