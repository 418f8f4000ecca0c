/**
 * POST /admin: the tcb API that wx-server-sdk speaks. JSON for the database, storage and function calls
 * (../tcb.ts answers them); multipart for wx.openApi (openapi.ts) and the few tcb actions sent that way.
 */
import { randomBytes } from 'node:crypto';
import { handleTcb, type Params, type TcbContext } from '../tcb';
import { readBody, readMultipart, send, type Route } from './http';
import { answerOpenApi, type OpenApiDeps } from './openapi';

export function tcbRoute(ctx: TcbContext, openApi: OpenApiDeps): Route {
  return async ({ req, res, url, method }) => {
    if (method !== 'POST' || url.pathname !== '/admin') return false;
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const { fields, files } = await readMultipart(req);
      if (fields.action === 'wx.openApi') await answerOpenApi(openApi, fields, files, res);
      else send(res, 200, await handleTcb(ctx, { ...fields }));
      return true;
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
      return true;
    }
    send(res, 200, await handleTcb(ctx, params));
    return true;
  };
}
