/**
 * wxacode.getUnlimited from a script, spoken the way wx-server-sdk speaks it inside a function (a
 * protobuf `wx.openApi` call through the admin SDK's callCompatibleWxOpenApi), so the same call reaches
 * the local cloud (which draws a real QR code) or a CloudBase environment with the admin credentials.
 */
import protobuf from 'protobufjs';
import { OPENAPI_PROTO } from '../../localcloud/openapi';
import { connectApp, type OrgTarget } from './org-target';

const root = protobuf.parse(OPENAPI_PROTO).root;
const CommApiData = root.lookupType('CommApiData');
const CommOpenApiResp = root.lookupType('CommOpenApiResp');
const OPEN_API = 0;

interface App {
  callCompatibleWxOpenApi(o: { apiName: string; requestData: Buffer }): Promise<unknown>;
}

/**
 * Retries a call that only reads when its connection was reset: the admin SDK keeps connections alive,
 * and a server may close an idle one just as a request goes out on it (seen on a busy machine).
 */
export async function retryReset<T>(call: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (e) {
      if (i >= tries || !/ECONNRESET|socket hang up/i.test(String((e as Error)?.message ?? e))) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * i));
  }
}

export type CodeImage = (scene: string, page: string) => Promise<Buffer>;

/** A function that asks the target for a mini-program code image (PNG) of a scene and page. */
export function wxacodeOn(target: OrgTarget): CodeImage {
  const app = connectApp<App>(target);
  return async (scene, page) => {
    const params = { scene, page, width: 430, check_path: false };
    const pairs = Object.entries(params).map(([key, v]) => ({ key, value: Buffer.from(JSON.stringify(v)) }));
    const requestData = Buffer.from(
      CommApiData.encode(CommApiData.create({ apiType: OPEN_API, openapiData: { pairs } })).finish(),
    );
    const res = await retryReset(() => app.callCompatibleWxOpenApi({ apiName: 'wxacode.getUnlimited', requestData }));
    if (!Buffer.isBuffer(res)) {
      const e = res as { code?: string; message?: string };
      throw new Error(`wxacode.getUnlimited: ${e.code ?? ''} ${e.message ?? JSON.stringify(res)}`.trim());
    }
    const reply = CommOpenApiResp.toObject(CommOpenApiResp.decode(res), { bytes: Buffer }) as {
      respData?: Buffer;
      contentType?: string;
    };
    const data = Buffer.from(reply.respData ?? []);
    if (!/^image\//.test(reply.contentType ?? '')) {
      throw new Error(`wxacode.getUnlimited for ${scene}: ${data.toString('utf8')}`);
    }
    return data;
  };
}
