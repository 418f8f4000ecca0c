/**
 * Photos: uploaded by the mini-program to cloud storage, sent here as fileIDs, and held back ("pending")
 * until WeChat's asynchronous image check (security.mediaCheckAsync) answers; its verdict arrives later
 * by push to the mediacheck function.
 */
import { AppError } from '../runtime/errors';
import { sdk } from '../runtime/sdk';
import type { PhotoDoc } from './model';

export const MAX_PHOTOS = 3;

export async function startPhotoChecks(
  fileIds: readonly string[],
  openid: string,
  scene: 1 | 2 | 3 | 4,
): Promise<PhotoDoc[]> {
  if (fileIds.length === 0) return [];
  const cloud = sdk();
  const urls = (await cloud.getTempFileURL({ fileList: [...fileIds] })) as {
    fileList: { fileID: string; tempFileURL: string; status?: number }[];
  };
  return Promise.all(
    fileIds.map(async (fileId) => {
      const url = urls.fileList.find((f) => f.fileID === fileId)?.tempFileURL;
      if (!url)
        throw new AppError('INVALID_ARGUMENT', '有照片没有上传成功，请重新上传。', [`photos: ${fileId} not found`]);
      try {
        const r = (await cloud.openapi.security.mediaCheckAsync({
          mediaUrl: url,
          mediaType: 2,
          version: 2,
          scene,
          openid,
        })) as { traceId?: string };
        return { fileId, check: 'pending' as const, traceId: r.traceId ?? null };
      } catch (e) {
        // Held back until checked; an unanswered check leaves the photo hidden, never shown unchecked.
        console.warn('mediaCheckAsync failed', e);
        return { fileId, check: 'pending' as const, traceId: null };
      }
    }),
  );
}
