/**
 * What the order page tests share: the phone's photo picker, uploads and subscribe prompt made real
 * enough (wx.chooseMedia hands over real files, wx.uploadFile posts them to the local cloud's storage
 * as multipart, wx.requestSubscribeMessage records when it was asked), fresh villagers bound to the
 * demo village, orders prepared through the gateway, and small readers for the pages.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Order, OrderApi, TreeNode } from '../../typings/api';
import { callAs, CLOUD_URL, textOf, uniqueName, uniqueOpenid, waitFor, type SimNode } from './harness';
import { callsTo, queryOf, requests } from './wx-fake';

/** The demo village (凤山村) every demo identity belongs to. */
export const DEMO_STATION = 'haian-01-001';

// ---- the phone ----------------------------------------------------------------------------------

/** A small valid PNG, so that storage serves what was uploaded as an image. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-order-photos-'));
let photoSeq = 0;

/** A photo as the camera leaves it: a real file at a temporary path. */
export function takePhoto(): string {
  photoSeq += 1;
  const file = path.join(photoDir, `tmp-${process.pid}-${photoSeq}.png`);
  fs.writeFileSync(file, PNG);
  return file;
}

export interface SubscribeCall {
  tmplIds: string[];
  /** How many wx.request calls had been made when the prompt was asked for. */
  requestsBefore: number;
}

export interface Uploaded {
  url: string;
  cloudPath: string;
  openid: string;
  status: number;
  fileID: string;
}

export const phone = {
  subscribeCalls: [] as SubscribeCall[],
  uploads: [] as Uploaded[],
  /** What the user answers in the subscribe prompt. */
  subscribeAnswer: 'accept' as 'accept' | 'reject',
};

/** Posts one file as multipart/form-data, as wx.uploadFile does. */
function multipart(
  url: string,
  filePath: string,
  name: string,
  formData: Record<string, string>,
  header: Record<string, string>,
): Promise<{ statusCode: number; data: string }> {
  const boundary = `----wm${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(formData)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="${name}"; filename="${path.basename(filePath)}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    ),
    fs.readFileSync(filePath),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const body = Buffer.concat(parts);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        ...header,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': body.length,
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, data: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Callbacks<T> {
  success?: (res: T) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: (res: unknown) => void;
}

/**
 * Installs the photo, upload and subscribe fakes over `wx` (after launchAs, which resets the rest of
 * the phone) and clears what they recorded.
 */
export function installOrderPhone(): void {
  phone.subscribeCalls.length = 0;
  phone.uploads.length = 0;
  phone.subscribeAnswer = 'accept';
  const wxGlobal = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  Object.assign(wxGlobal, {
    chooseMedia(o: { count?: number } & Callbacks<{ tempFiles: { tempFilePath: string; size: number }[] }>) {
      const tempFiles = Array.from({ length: Math.min(o.count ?? 1, 1) }, () => {
        const tempFilePath = takePhoto();
        return { tempFilePath, size: PNG.length, fileType: 'image' };
      });
      setTimeout(() => o.success?.({ tempFiles }), 0);
    },
    uploadFile(
      o: {
        url: string;
        filePath: string;
        name: string;
        formData?: Record<string, string>;
        header?: Record<string, string>;
      } & Callbacks<{ statusCode: number; data: string; errMsg: string }>,
    ) {
      multipart(o.url, o.filePath, o.name, o.formData ?? {}, o.header ?? {}).then(
        (res) => {
          let fileID = '';
          try {
            fileID = String((JSON.parse(res.data) as { fileID?: string }).fileID ?? '');
          } catch {
            /* not JSON */
          }
          phone.uploads.push({
            url: o.url,
            cloudPath: o.formData?.cloudPath ?? '',
            openid: o.header?.['x-wx-openid'] ?? '',
            status: res.statusCode,
            fileID,
          });
          o.success?.({ ...res, errMsg: 'uploadFile:ok' });
        },
        (e: Error) => o.fail?.({ errMsg: `uploadFile:fail ${e.message}` }),
      );
    },
    requestSubscribeMessage(o: { tmplIds: string[] } & Callbacks<Record<string, string>>) {
      phone.subscribeCalls.push({ tmplIds: [...o.tmplIds], requestsBefore: requests.length });
      const answers: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
      for (const id of o.tmplIds) answers[id] = phone.subscribeAnswer;
      setTimeout(() => o.success?.(answers), 0);
    },
    previewImage() {},
  });
}

// ---- people and orders --------------------------------------------------------------------------

/** A new villager bound to the demo village, with a household of their own. */
export async function freshVillager(prefix = 'vil'): Promise<string> {
  const openid = uniqueOpenid(prefix);
  await callAs(openid, 'user', { action: 'bind', stationId: DEMO_STATION, name: uniqueName('村民') });
  return openid;
}

export interface PointInfo {
  id: string;
  name: string;
  lat: number;
  lng: number;
}

/** The practice points of the demo village, with their locations. */
export async function demoPoints(): Promise<PointInfo[]> {
  const tree = await callAs<TreeNode>('demo-villager', 'org', { action: 'tree', id: DEMO_STATION, pageSize: 50 });
  return (tree.children ?? [])
    .filter((c) => c.location)
    .map((c) => ({ id: c.id, name: c.name, lat: c.location?.lat ?? 0, lng: c.location?.lng ?? 0 }));
}

let requestSeq = 0;

/** Posts an order through the gateway (a test's preparation, not the page under test). */
export async function postOrder(openid: string, over: Partial<OrderApi['create']['req']> = {}): Promise<string> {
  requestSeq += 1;
  const r = await callAs<OrderApi['create']['res']>(openid, 'order', {
    action: 'create',
    kind: 'wish',
    category: 'charity',
    title: `帮忙搬家具${requestSeq}`,
    content: '家里要搬一个旧柜子下楼，一个人搬不动。',
    requestId: `prep-${process.pid}-${Date.now().toString(36)}-${requestSeq}`,
    acknowledgeSimilar: true,
    ...over,
  });
  return r.id;
}

export function getOrderAs(openid: string, id: string): Promise<Order> {
  return callAs<Order>(openid, 'order', { action: 'get', id });
}

// ---- reading the pages --------------------------------------------------------------------------

/** Taps a node inside a custom component (the page's querySelector does not reach into it). */
export function tapIn(page: SimNode, componentSelector: string, selector: string): void {
  const host = page.querySelector(componentSelector);
  if (!host) throw new Error(`no component ${componentSelector} on the page`);
  const node = host.querySelector(selector);
  if (!node) throw new Error(`no ${selector} inside ${componentSelector}: ${host.dom?.textContent ?? ''}`);
  node.dispatchEvent('tap');
}

/** The text of a node inside a custom component. */
export function textIn(page: SimNode, componentSelector: string, selector: string): string | undefined {
  const node = page.querySelector(componentSelector)?.querySelector(selector);
  return node?.dom?.textContent?.replace(/\s+/g, ' ').trim();
}

/** Waits until the node's text contains `text`. */
export function waitForText(page: SimNode, selector: string, text: string, timeoutMs?: number): Promise<string> {
  return waitFor(
    `"${text}" in ${selector}`,
    page,
    () => {
      const t = textOf(page, selector);
      return t !== undefined && t.includes(text) ? t : undefined;
    },
    timeoutMs,
  );
}

/** The URL of the last navigateTo / redirectTo the page asked for, once it has. */
export function waitForNavigation(page: SimNode, api: 'navigateTo' | 'redirectTo'): Promise<string> {
  return waitFor(`wx.${api}`, page, () => {
    const calls = callsTo(api);
    return calls.length > 0 ? String(calls[calls.length - 1].url) : undefined;
  });
}

export { queryOf };

/** The order function calls the mini-program made, by action. */
export function orderRequests(action: string): Record<string, unknown>[] {
  return requests
    .filter((r) => r.url === `${CLOUD_URL}/fn/order` && (r.data as { action?: string }).action === action)
    .map((r) => r.data as Record<string, unknown>);
}
