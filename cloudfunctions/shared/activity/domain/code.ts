/**
 * The codes a phone scans, as `wxacode.getUnlimited` scenes (≤ 32 characters from WeChat's allowed
 * set). Two kinds, told apart by their first two characters:
 *
 *   c.<activity id: 10>.<slot: 6>.<signature: 12>   the rotating check-in code, exactly 32 characters
 *   p.<practice point id: ≤ 30>                       a point's permanent poster: opens the point, never checks in
 *
 * The slot is the time divided by the activity's slot length (30 s), in base 36; the signature is the
 * first 12 base64url characters (72 bits) of HMAC-SHA256 over `c.<id>.<slot>` with the activity's own
 * secret, which never leaves the functions. A code is good in its slot and the one before, so a code
 * scanned as it turns over still works. Pure: node:crypto only.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sceneText } from '../../../../typings/activity';

export const ACTIVITY_ID = /^[0-9a-z]{10}$/;
const SLOT_WIDTH = 6;
const SIG_LENGTH = 12;
const CHECKIN_SCENE = /^c\.([0-9a-z]{10})\.([0-9a-z]{6})\.([A-Za-z0-9_-]{12})$/;
const POINT_SCENE = /^p\.([A-Za-z0-9][A-Za-z0-9-]{0,29})$/;
export const SCENE_MAX = 32;

export type Scene =
  { kind: 'checkin'; activityId: string; slot: number; signature: string } | { kind: 'point'; pointId: string };

/** A new activity id: 10 base-36 characters (about 51 bits), short enough for the scene. */
export function newActivityId(): string {
  const bytes = randomBytes(10);
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function slotOf(at: Date | number, slotSeconds: number): number {
  return Math.floor(new Date(at).getTime() / (slotSeconds * 1000));
}

function sign(secret: string, activityId: string, slotText: string): string {
  return createHmac('sha256', secret).update(`c.${activityId}.${slotText}`).digest('base64url').slice(0, SIG_LENGTH);
}

/** The code to show at `at`, and when it stops being the current one. */
export function checkinScene(
  activity: { _id: string; secret: string; slotSeconds: number },
  at: Date,
): { scene: string; validUntil: Date } {
  const slot = slotOf(at, activity.slotSeconds);
  const slotText = slot.toString(36).padStart(SLOT_WIDTH, '0');
  return {
    scene: `c.${activity._id}.${slotText}.${sign(activity.secret, activity._id, slotText)}`,
    validUntil: new Date((slot + 1) * activity.slotSeconds * 1000),
  };
}

export function pointScene(pointId: string): string | null {
  const scene = `p.${pointId}`;
  return POINT_SCENE.test(scene) ? scene : null;
}

/**
 * Reads a scene however it arrived: as the page's `query.scene` (URI-encoded, once or twice), from
 * `wx.scanCode`'s `path` (`…?scene=…`), or plain. Anything else is null.
 */
export function readScene(raw: string): Scene | null {
  const s = sceneText(raw);
  if (s === null) return null;
  const c = CHECKIN_SCENE.exec(s);
  if (c) return { kind: 'checkin', activityId: c[1], slot: parseInt(c[2], 36), signature: c[3] };
  const p = POINT_SCENE.exec(s);
  if (p) return { kind: 'point', pointId: p[1] };
  return null;
}

export type CodeVerdict = 'ok' | 'forged' | 'expired' | 'future';

/** Signature first (a forged code says nothing about time), then its slot against the scan's time. */
export function verifyCode(
  activity: { _id: string; secret: string; slotSeconds: number },
  scene: Extract<Scene, { kind: 'checkin' }>,
  at: Date,
): CodeVerdict {
  if (scene.activityId !== activity._id) return 'forged';
  const slotText = scene.slot.toString(36).padStart(SLOT_WIDTH, '0');
  const want = Buffer.from(sign(activity.secret, activity._id, slotText));
  const got = Buffer.from(scene.signature);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return 'forged';
  const current = slotOf(at, activity.slotSeconds);
  if (scene.slot > current) return 'future';
  if (scene.slot < current - 1) return 'expired';
  return 'ok';
}
