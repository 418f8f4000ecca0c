/**
 * WeChat's services beside the database, wrapped once so that capabilities never import the SDK:
 * temporary addresses of stored files, the asynchronous image check, the phone number behind a
 * getPhoneNumber code.
 */
import { AppError } from './errors';
import { sdk } from './sdk';

/** Temporary addresses of stored files, by fileID (files without one are left out). */
export async function tempUrls(fileIds: readonly string[]): Promise<Map<string, string>> {
  if (fileIds.length === 0) return new Map();
  const r = (await sdk().getTempFileURL({ fileList: [...fileIds] })) as {
    fileList: { fileID: string; tempFileURL: string }[];
  };
  return new Map(r.fileList.filter((f) => f.tempFileURL).map((f) => [f.fileID, f.tempFileURL]));
}

/** Starts WeChat's asynchronous check of an image (the verdict arrives by push); answers its trace id. */
export async function startImageCheck(url: string, openid: string, scene: 1 | 2 | 3 | 4): Promise<string | null> {
  const r = (await sdk().openapi.security.mediaCheckAsync({
    mediaUrl: url,
    mediaType: 2,
    version: 2,
    scene,
    openid,
  })) as { traceId?: string };
  return r.traceId ?? null;
}

/** The phone number behind a getPhoneNumber code (one use, five minutes). */
export async function phoneFromCode(code: string): Promise<string> {
  try {
    const r = (await sdk().openapi.phonenumber.getPhoneNumber({ code })) as {
      phoneInfo?: { purePhoneNumber?: string };
    };
    const phone = r.phoneInfo?.purePhoneNumber;
    if (!phone) throw new Error('no phone in the answer');
    return phone;
  } catch (e) {
    const errCode = (e as { errCode?: number }).errCode;
    if (errCode === 40029 || errCode === 40163) {
      throw new AppError('INVALID_ARGUMENT', '手机号授权已过期，请再点一次“获取手机号”。', [
        'phoneCode: invalid or used',
      ]);
    }
    console.error('getPhoneNumber failed', e);
    throw new AppError('UNAVAILABLE', '暂时取不到手机号，可以手动填写。');
  }
}

/** Writes a file to cloud storage at `cloudPath` (the same path again replaces it); answers its fileID. */
export async function uploadFile(cloudPath: string, content: Buffer): Promise<string> {
  const r = (await sdk().uploadFile({ cloudPath, fileContent: content })) as { fileID?: string };
  if (!r.fileID) throw new Error(`upload of ${cloudPath} answered no fileID`);
  return r.fileID;
}
