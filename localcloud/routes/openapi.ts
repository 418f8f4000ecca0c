/**
 * wx.openApi (cloud.openapi.* in a function): reaches POST /admin as multipart, its parameters and reply
 * as protobuf. The caller is the running call its token names; a reply may schedule a message push (the
 * media check's verdict).
 */
import type http from 'node:http';
import type { Caller } from '../functions/pool';
import { OpenApi, type PushDelivery } from '../openapi';

export interface OpenApiDeps {
  openapi: OpenApi;
  pushes: PushDelivery;
  /** Each running call's token (WX_API_TOKEN) → its caller. */
  tokens: ReadonlyMap<string, Caller>;
}

export async function answerOpenApi(
  { openapi, pushes, tokens }: OpenApiDeps,
  fields: Record<string, string>,
  files: Record<string, Buffer>,
  res: http.ServerResponse,
): Promise<void> {
  const caller = tokens.get(fields.wxCloudApiToken ?? '')?.openid;
  const params = files.requestData ? OpenApi.decodeParams(files.requestData) : {};
  const reply = await openapi.call(fields.apiName ?? '', params, caller);
  pushes.afterOpenApi(fields.apiName ?? '', params, reply);
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  res.end(OpenApi.encodeReply(reply));
}
