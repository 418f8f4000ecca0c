/**
 * Client of the `activity` cloud function (check-in, hours, certificates), with the scan's offline
 * tolerance: a scan the cloud could not be reached for is kept on the phone with the moment it was
 * made and sent when the cloud answers again; the cloud accepts it within a bounded delay, marked late.
 * A busy platform (quota) is retried with backoff first; the check-in's unique index makes a retry
 * that did land count once.
 */
import { sceneText, type ActivityApi, type ScanResult } from '../contract/activity';
import type { ActionName, Req, Res } from '../contract/api';
import type { ApiError, Result } from '../contract/errors';
import { call } from './transport';

type ActivityActionName = ActionName<'activity'> & keyof ActivityApi;

export function activityCall<A extends ActivityActionName>(
  action: A,
  request: Req<'activity', A>,
): Promise<Result<Res<'activity', A>>> {
  return call('activity', action, request);
}

export const PENDING_KEY = 'activity.pendingScans';
/** Kept scans older than the cloud's limit (a day) are dropped: the cloud would refuse them. */
const KEEP_MS = 24 * 3_600_000;
const BACKOFF_MS = [400, 1200];

export interface PendingScan {
  scene: string;
  scannedAt: string;
  location?: { lat: number; lng: number };
}

export function pendingScans(): PendingScan[] {
  const kept = wx.getStorageSync(PENDING_KEY) as unknown;
  if (!Array.isArray(kept)) return [];
  return (kept as PendingScan[]).filter((p) => Date.now() - Date.parse(p.scannedAt) < KEEP_MS);
}

function savePending(list: PendingScan[]): void {
  wx.setStorageSync(PENDING_KEY, list.slice(-20));
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The scene inside whatever a scan handed over (see sceneText); '' when it cannot be read. */
export function sceneOf(raw: string | undefined | null): string {
  return sceneText(raw) ?? '';
}

export type ScanOutcome = { ok: true; data: ScanResult } | { ok: false; error: ApiError; kept: boolean };

/** One scan: sent at once, retried when the platform is busy, kept for later when it cannot be reached. */
export async function scanCode(scene: string, location?: { lat: number; lng: number }): Promise<ScanOutcome> {
  const scannedAt = new Date().toISOString();
  const req = { scene, ...(location ? { location } : {}) };
  let r = await activityCall('scan', req);
  for (const ms of BACKOFF_MS) {
    if (r.ok || r.error.code !== 'UNAVAILABLE') break;
    await wait(ms);
    r = await activityCall('scan', { ...req, scannedAt });
  }
  if (r.ok) return r;
  if (r.error.code !== 'UNAVAILABLE') return { ok: false, error: r.error, kept: false };
  savePending([...pendingScans(), { scene, scannedAt, ...(location ? { location } : {}) }]);
  return { ok: false, error: r.error, kept: true };
}

/** Sends the kept scans, oldest first; keeps those the cloud still cannot be reached for. */
export async function sendPending(): Promise<{ sent: ScanResult[]; refused: ApiError[] }> {
  const left: PendingScan[] = [];
  const sent: ScanResult[] = [];
  const refused: ApiError[] = [];
  for (const p of pendingScans()) {
    const r = await activityCall('scan', p);
    if (r.ok) sent.push(r.data);
    else if (r.error.code === 'UNAVAILABLE') left.push(p);
    else refused.push(r.error);
  }
  savePending(left);
  return { sent, refused };
}

/** A fresh idempotency key for a form's submit. */
export function newRequestId(): string {
  return `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}`;
}
