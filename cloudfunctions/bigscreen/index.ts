/**
 * bigscreen: the big screen's feed, called over HTTP (CloudBase's HTTP access service; the local
 * cloud's /bigscreen/api). It answers the county's public figures (PublicFigures: aggregates only,
 * nothing about one person) as JSON with CORS, so the page on static hosting, another origin, can read
 * them. The figures are the stats function's own `public` action, run in this instance through its
 * handler, so the two never disagree.
 */
import type { PublicFigures } from '../../typings/stats';
import type { Result } from '../../typings/errors';
import type { StatsApi } from '../../typings/stats';
import { defineFunction } from '../shared/runtime/handler';
import { publicFigures } from '../stats/actions/figures';

/**
 * The stats function's `public` action alone, behind the same handler (validation, envelope): the
 * whole stats function would bring the export's workbook library into this small HTTP function.
 */
const stats = defineFunction<Pick<StatsApi, 'public'>>('stats', { public: publicFigures });

/** What CloudBase's HTTP access service sends a function (the fields used here). */
export interface HttpEvent {
  httpMethod?: string;
  path?: string;
  headers?: Record<string, string>;
}

/** The integration response the HTTP access service writes back. */
export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const HEADERS: Record<string, string> = {
  'content-type': 'application/json; charset=utf-8',
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
  'cache-control': 'no-store',
};

const answer = (statusCode: number, body: unknown): HttpAnswer => ({
  statusCode,
  headers: HEADERS,
  body: body === undefined ? '' : JSON.stringify(body),
});

export async function main(event: HttpEvent | undefined, context?: unknown): Promise<HttpAnswer> {
  const method = (event?.httpMethod ?? 'GET').toUpperCase();
  if (method === 'OPTIONS') return answer(204, undefined);
  if (method !== 'GET' && method !== 'HEAD') return answer(405, { error: 'GET only' });
  const r = (await (stats as (e: unknown, c?: unknown) => Promise<Result<unknown>>)(
    { action: 'public' },
    context,
  )) as Result<PublicFigures>;
  if (!r.ok) return answer(r.error.code === 'NOT_FOUND' ? 404 : 503, { error: r.error.message });
  return answer(200, r.data);
}
