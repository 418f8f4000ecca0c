/**
 * Photos: uploaded by the mini-program to cloud storage, sent here as fileIDs, and held back ("pending")
 * until WeChat's asynchronous image check (security.mediaCheckAsync) answers; its verdict arrives later
 * by push to the mediacheck function.
 */
import * as z from 'zod/mini';
import { ORDER_LIMITS } from '../../../typings/order';
import { AppError } from '../runtime/errors';
import { startImageCheck, tempUrls } from '../runtime/platform';
import type { OrderDoc, PhotoDoc } from './domain/model';
import { findByPhotoTrace, patch } from './store';

/** The photos of an order or of its proof: cloud fileIDs, at most ORDER_LIMITS.photos. */
export const photoIds = z.optional(
  z.array(z.string().check(z.minLength(1), z.maxLength(300))).check(z.maxLength(ORDER_LIMITS.photos)),
);

/**
 * Whether a fileID is the caller's own upload: the mini-program uploads to `uploads/<openid>/…`
 * (miniprogram/services/upload.ts). The client chooses the path, so it is checked here against the
 * caller's openid from getWXContext; the storage rules (docs/DEPLOY.md) keep anyone from writing over
 * a file another user uploaded, so a path under the caller's openid holds what the caller put there.
 */
export function ownUpload(fileId: string, openid: string): boolean {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId);
  if (!m) return false;
  const segments = m[1].split('/');
  return (
    segments.length >= 3 &&
    segments[0] === 'uploads' &&
    segments[1] === openid &&
    segments.every((s) => s !== '' && s !== '.' && s !== '..')
  );
}

/** Starts the image checks of photos the caller uploaded (order, proof, integral claim). */
export async function startPhotoChecks(
  fileIds: readonly string[],
  openid: string,
  scene: 1 | 2 | 3 | 4,
): Promise<PhotoDoc[]> {
  if (fileIds.length === 0) return [];
  const others = fileIds.filter((f) => !ownUpload(f, openid));
  if (others.length > 0)
    throw new AppError(
      'INVALID_ARGUMENT',
      '只能用您自己上传的照片，请重新选择照片上传。',
      others.map((f) => `photos: ${f} is not the caller's upload`),
    );
  const urls = await tempUrls(fileIds);
  return Promise.all(
    fileIds.map(async (fileId) => {
      const url = urls.get(fileId);
      if (!url)
        throw new AppError('INVALID_ARGUMENT', '有照片没有上传成功，请重新上传。', [`photos: ${fileId} not found`]);
      try {
        return { fileId, check: 'pending' as const, traceId: await startImageCheck(url, openid, scene) };
      } catch (e) {
        // Held back until checked; an unanswered check leaves the photo hidden, never shown unchecked.
        console.warn('mediaCheckAsync failed', e);
        return { fileId, check: 'pending' as const, traceId: null };
      }
    }),
  );
}

// ── the verdict side: WeChat's push (wxa_media_check) to the mediacheck function ─────────────

/** WeChat's suggestion for a checked image (mediaCheckAsync version 2). */
export type Suggest = 'pass' | 'review' | 'risky';

/**
 * What a suggestion does to a photo: risky → rejected, pass → pass. "review" (WeChat suggests a person
 * look at it) keeps the photo pending: hidden from everyone but the people on the order, which is
 * what an unchecked photo gets; the suggestion is recorded on the photo for a later review tool.
 */
export function checkFor(suggest: Suggest): 'pass' | 'rejected' | null {
  return suggest === 'pass' ? 'pass' : suggest === 'risky' ? 'rejected' : null;
}

export interface PhotoVerdict {
  traceId: string;
  suggest: Suggest;
  label: string | null;
  at: Date;
}

export interface AppliedVerdict {
  orderId: string;
  /** Where the photo is: the order's own photos or the fulfilment's proof. */
  field: 'photos' | 'fulfilment.photos';
  index: number;
  /** The photo's check after the verdict (unchanged when it was already decided). */
  check: 'pending' | 'pass' | 'rejected';
  /** False when an earlier delivery of the same verdict had already set it. */
  changed: boolean;
}

const PHOTO_FIELDS = ['photos', 'fulfilment.photos'] as const;

/** The order holding the photo with this trace id, read through the photos.traceId indexes. */
async function findByTrace(
  traceId: string,
): Promise<{ order: OrderDoc; field: AppliedVerdict['field']; index: number } | null> {
  for (const field of PHOTO_FIELDS) {
    const order = await findByPhotoTrace(field, traceId);
    if (!order) continue;
    const photos = field === 'photos' ? order.photos : (order.fulfilment?.photos ?? []);
    const index = photos.findIndex((p) => p.traceId === traceId);
    if (index >= 0) return { order, field, index };
  }
  return null;
}

/**
 * Applies a verdict to the photo carrying its trace id, by one conditional update on that photo still
 * being pending with that trace id. Null when no order holds the trace id (yet).
 */
export async function applyVerdict(v: PhotoVerdict): Promise<AppliedVerdict | null> {
  const found = await findByTrace(v.traceId);
  if (!found) return null;
  const { order, field, index } = found;
  const base = `${field}.${index}`;
  const next = checkFor(v.suggest);
  // The update must change what it matches: CloudBase counts a matched document as updated even when
  // the write leaves it as it was, so a repeated "review" (which sets no check) is told apart by its
  // condition — no verdict recorded yet — not by the count.
  const won = await patch(
    order._id,
    { [`${base}.traceId`]: v.traceId, [`${base}.check`]: 'pending', ...(next ? {} : { [`${base}.verdict`]: null }) },
    {
      ...(next ? { [`${base}.check`]: next } : {}),
      [`${base}.verdict`]: { suggest: v.suggest, label: v.label, at: v.at },
    },
  );
  if (won) return { orderId: order._id, field, index, check: next ?? 'pending', changed: true };
  // Already decided (a repeated push): answer what it is now.
  const again = await findByTrace(v.traceId);
  const photos = !again ? [] : again.field === 'photos' ? again.order.photos : (again.order.fulfilment?.photos ?? []);
  const check = again ? photos[again.index].check : 'pending';
  return { orderId: order._id, field, index, check, changed: false };
}
