/**
 * The check-in code as an image WeChat's own scanner opens the scan page with: wxacode.getUnlimited
 * with the scene (5,000 calls a minute, far above one code every 30 s per activity). The local cloud
 * answers it with a QR code of the same content.
 */
import { sdk } from '../runtime/sdk';

export const SCAN_PAGE = 'packages/activity/scan/index';

/** A data URL of the code's PNG, or null when the platform would not make one (the scene still shows). */
export async function codeImage(scene: string): Promise<string | null> {
  try {
    const r = (await sdk().openapi.wxacode.getUnlimited({
      scene,
      page: SCAN_PAGE,
      width: 430,
      checkPath: false,
    } as Parameters<ReturnType<typeof sdk>['openapi']['wxacode']['getUnlimited']>[0])) as {
      buffer?: Buffer | Uint8Array;
    };
    if (!r.buffer) return null;
    return `data:image/png;base64,${Buffer.from(r.buffer).toString('base64')}`;
  } catch (e) {
    console.warn('wxacode.getUnlimited failed', e);
    return null;
  }
}
