/**
 * Uploads a photo the user picked to cloud storage and answers its fileID. In DevTools' develop
 * version it POSTs to the local cloud (`/_storage/upload`, multipart fields `cloudPath` and `file`, the
 * caller in `x-wx-openid`); everywhere else it is wx.cloud.uploadFile. Like the transport, it never
 * throws: a failure is a Result with a message the villager can read.
 */
import type { Result } from '../contract/errors';
import { CLOUD_ENV, getLocalCloudUrl, useLocalCloud } from '../config';
import { shanghaiDay } from '../utils/format';
import { getLocalIdentity } from './identity';
import { unavailable } from './transport';

const UPLOAD_MESSAGE = '照片没有传上去，请检查网络后再试。';
const TIMEOUT_MS = 60000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The extension of a picked file, kept so the storage serves it with the right type. */
export function extensionOf(filePath: string): string {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(filePath);
  return m ? m[1].toLowerCase() : 'jpg';
}

/**
 * Where a photo goes: `uploads/<openid>/<yyyymmdd>/<folder>-<key>.<ext>`. The uploader's openid leads
 * the path (the functions take only the caller's own uploads, and storage lets nobody write over
 * another's file); the key makes a retried upload overwrite, not add.
 */
export function photoCloudPath(
  openid: string,
  folder: string,
  key: string,
  filePath: string,
  now = new Date(),
): string {
  const day = shanghaiDay(now).replace(/-/g, '');
  return `uploads/${openid}/${day}/${folder}-${key}.${extensionOf(filePath)}`;
}

function uploadLocal(filePath: string, cloudPath: string): Promise<Result<string>> {
  const url = `${getLocalCloudUrl()}/_storage/upload`;
  return new Promise((resolve) => {
    wx.uploadFile({
      url,
      filePath,
      name: 'file',
      formData: { cloudPath },
      header: { 'x-wx-openid': getLocalIdentity() },
      timeout: TIMEOUT_MS,
      success(res) {
        let body: unknown = res.data;
        try {
          body = typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
        } catch {
          body = undefined;
        }
        if (res.statusCode === 200 && isObject(body) && typeof body.fileID === 'string') {
          resolve({ ok: true, data: body.fileID });
        } else {
          resolve(unavailable(UPLOAD_MESSAGE, `${url} answered HTTP ${res.statusCode}`));
        }
      },
      fail(err) {
        resolve(unavailable(UPLOAD_MESSAGE, `${url}: ${err.errMsg}`));
      },
    });
  });
}

let cloudReady = false;

async function uploadCloud(filePath: string, cloudPath: string): Promise<Result<string>> {
  if (!cloudReady) {
    wx.cloud.init({ ...(CLOUD_ENV ? { env: CLOUD_ENV } : {}), traceUser: true });
    cloudReady = true;
  }
  try {
    const res = await wx.cloud.uploadFile({ cloudPath, filePath });
    return res.fileID ? { ok: true, data: res.fileID } : unavailable(UPLOAD_MESSAGE, 'uploadFile answered no fileID');
  } catch (e) {
    const errMsg = isObject(e) && typeof e.errMsg === 'string' ? e.errMsg : String(e);
    return unavailable(UPLOAD_MESSAGE, errMsg);
  }
}

/** Uploads one picked file to `cloudPath` and answers its fileID. */
export async function uploadPhoto(filePath: string, cloudPath: string): Promise<Result<string>> {
  try {
    return useLocalCloud() ? await uploadLocal(filePath, cloudPath) : await uploadCloud(filePath, cloudPath);
  } catch (e) {
    return unavailable(UPLOAD_MESSAGE, e instanceof Error ? e.message : String(e));
  }
}

/**
 * Uploads several photos in order, remembering what is already up in `done` (file path → fileID) so a
 * retry after a failure sends only the rest. Answers the fileIDs in the order of `filePaths`.
 */
export async function uploadPhotos(
  filePaths: string[],
  cloudPathOf: (openid: string, filePath: string, index: number) => string,
  done: Record<string, string>,
): Promise<Result<string[]>> {
  const ids: string[] = [];
  let openid: string | undefined;
  for (let i = 0; i < filePaths.length; i += 1) {
    const p = filePaths[i];
    if (!done[p]) {
      // Who uploads: the signed-in caller, as login answered (the path must carry their openid).
      if (openid === undefined) {
        try {
          openid = (await getApp<IAppOption>().ready()).openid;
        } catch (e) {
          return unavailable(UPLOAD_MESSAGE, e instanceof Error ? e.message : String(e));
        }
      }
      const r = await uploadPhoto(p, cloudPathOf(openid, p, i));
      if (!r.ok) return r;
      done[p] = r.data;
    }
    ids.push(done[p]);
  }
  return { ok: true, data: ids };
}
