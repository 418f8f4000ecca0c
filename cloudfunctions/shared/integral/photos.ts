/**
 * WeChat's image check for the photos of an integral record (a claim's evidence), the same way as an
 * order's (shared/order/photos.ts): risky → rejected (hidden from everyone; the record shows
 * photoRejected to its reviewer), pass → shown, review → kept pending. The mediacheck function asks
 * here when no order carries the trace id.
 */
import { checkFor, type PhotoVerdict } from '../order/photos';
import * as store from './store';

export interface AppliedClaimVerdict {
  claimId: string;
  index: number;
  check: 'pending' | 'pass' | 'rejected';
  /** False when an earlier delivery of the same verdict had already set it. */
  changed: boolean;
}

/** Applies a verdict to the record's photo carrying its trace id; null when no record holds it. */
export async function applyClaimVerdict(v: PhotoVerdict): Promise<AppliedClaimVerdict | null> {
  const claim = await store.findClaimByPhotoTrace(v.traceId);
  if (!claim) return null;
  const index = claim.photos.findIndex((p) => p.traceId === v.traceId);
  if (index < 0) return null;
  const next = checkFor(v.suggest);
  const verdict = { suggest: v.suggest, label: v.label, at: v.at };
  if (await store.setClaimPhotoCheck(claim._id, index, v.traceId, next, verdict)) {
    return { claimId: claim._id, index, check: next ?? 'pending', changed: true };
  }
  const again = await store.findClaim(claim._id);
  return { claimId: claim._id, index, check: again?.photos[index]?.check ?? 'pending', changed: false };
}
