/**
 * What the activity page tests share: fresh volunteers and activities made through the real
 * functions, and the phone APIs these pages add to the fakes (wx.scanCode, the screen's brightness
 * and keep-on, wx.downloadFile fetching for real and wx.openDocument), each call recorded.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Me } from '../../typings/api';
import type { ActivityApi } from '../../typings/activity';
import { callAs, uniqueName, uniqueOpenid } from './harness';

export const HEAD = 'demo-station-head';
export const POINT = 'haian-01-001-01';

/** A registered volunteer of the demo station, with nothing done yet. */
export async function freshVolunteer(): Promise<string> {
  const openid = uniqueOpenid('act');
  await callAs<Me>(openid, 'user', { action: 'bind', stationId: 'haian-01-001', name: uniqueName('孙') });
  await callAs<Me>(openid, 'user', {
    action: 'registerVolunteer',
    name: uniqueName('孙'),
    phone: '13912340000',
    skills: ['health'],
    stationIds: ['haian-01-001'],
  });
  return openid;
}

/** The pages' local cloud keeps a moment of its own (global-setup's PAGES_NOW), not the wall clock. */
export function cloudNow(): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${process.env.LOCALCLOUD_URL}/_admin/clock`, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve(Date.parse((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { now: string }).now)),
        );
      })
      .on('error', reject);
  });
}

/** An activity at the demo point starting `inMin` minutes from the cloud's now (check-in opens 30 minutes before). */
export async function activityStarting(
  inMin: number,
  over: Partial<ActivityApi['create']['req']> = {},
): Promise<string> {
  const start = (await cloudNow()) + inMin * 60_000;
  const r = await callAs<{ id: string }>(HEAD, 'activity', {
    action: 'create',
    pointId: POINT,
    title: uniqueName('义诊'),
    category: 'health',
    startAt: new Date(start).toISOString(),
    endAt: new Date(start + 2 * 3_600_000).toISOString(),
    capacity: 20,
    signupRequired: true,
    ...over,
  });
  return r.id;
}

export const sceneOf = async (id: string) =>
  (await callAs<{ scene: string }>(HEAD, 'activity', { action: 'code', id })).scene;

export const screenCalls: { api: string; value: unknown }[] = [];
/** What wx.openDocument was asked to open: the downloaded file (really on disk) and the options. */
export const documents: { filePath: string; fileType?: string; showMenu?: boolean }[] = [];

/** wx.downloadFile as the phone does it: a GET of the address, the body kept in a temporary file. */
function download(url: string): Promise<{ statusCode: number; tempFilePath: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const tempFilePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wm-dl-')), 'download');
          fs.writeFileSync(tempFilePath, Buffer.concat(chunks));
          resolve({ statusCode: res.statusCode ?? 0, tempFilePath });
        });
      })
      .on('error', reject);
  });
}
export const scanner: { next: { path?: string; result?: string } | null } = { next: null };

/** wx.scanCode answers `scanner.next` (or is cancelled); the screen APIs are recorded. */
export function installActivityPhone(): void {
  screenCalls.length = 0;
  documents.length = 0;
  scanner.next = null;
  const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  type Cb = { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: (r: unknown) => void };
  const answer = (o: Cb, ok: boolean, res: unknown) =>
    setTimeout(() => {
      if (ok) o.success?.(res);
      else o.fail?.(res);
      o.complete?.(res);
    }, 0);
  Object.assign(wx, {
    scanCode: (o: Cb) => answer(o, !!scanner.next, scanner.next ?? { errMsg: 'scanCode:fail cancel' }),
    setKeepScreenOn: (o: Cb & { keepScreenOn: boolean }) => {
      screenCalls.push({ api: 'setKeepScreenOn', value: o.keepScreenOn });
      answer(o, true, {});
    },
    downloadFile: (o: Cb & { url: string }) => {
      download(o.url).then(
        (r) => answer(o, true, { ...r, errMsg: 'downloadFile:ok' }),
        (e: Error) => answer(o, false, { errMsg: `downloadFile:fail ${e.message}` }),
      );
    },
    openDocument: (o: Cb & { filePath: string; fileType?: string; showMenu?: boolean }) => {
      documents.push({ filePath: o.filePath, fileType: o.fileType, showMenu: o.showMenu });
      answer(o, true, { errMsg: 'openDocument:ok' });
    },
    getScreenBrightness: (o: Cb) => answer(o, true, { value: 0.4 }),
    setScreenBrightness: (o: Cb & { value: number }) => {
      screenCalls.push({ api: 'setScreenBrightness', value: o.value });
      answer(o, true, {});
    },
  });
}
