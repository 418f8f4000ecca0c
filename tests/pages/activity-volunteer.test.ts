/**
 * The volunteer's check-in pages against the demo county: scanning in with WeChat's scanner and with
 * the 扫码 button, a scan kept without signal and sent later, a poster code opening its point; finding
 * an activity and signing up; hours with the star level; asking for a certificate and verifying it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  CLOUD_URL,
  callAs,
  closeAllPages,
  exists,
  launchAs,
  miniprogram,
  openPage,
  tap,
  textOf,
  typeInto,
  waitFor,
} from './harness';
import { waitForNavigation } from './order-helpers';
import {
  activityStarting,
  cloudNow,
  freshVolunteer,
  HEAD,
  documents,
  installActivityPhone,
  POINT,
  sceneOf,
  scanner,
} from './activity-helpers';
import { callsTo, device, storage } from './wx-fake';

beforeEach(() => installActivityPhone());
afterEach(() => {
  jest.useRealTimers();
  miniprogram.config.setLocalCloudUrl(CLOUD_URL);
  closeAllPages();
});

/** Faked: only the clock (Date), so a test can set the phone's time; the timers stay real. */
type FakeConfig = Extract<Parameters<typeof jest.useFakeTimers>[0], { doNotFake?: unknown }>;
type DoNotFake = NonNullable<NonNullable<FakeConfig>['doNotFake']>;
const TIMERS: DoNotFake = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'nextTick',
  'queueMicrotask',
  'hrtime',
  'performance',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
];

const rollOf = (id: string) =>
  callAs<{ entries: { openid: string; state: string; flags: string[] }[] }>(HEAD, 'activity', { action: 'roster', id });

test('WeChat’s scanner opens the page with the code: checked in; the 扫码 button again: already', async () => {
  const v = await freshVolunteer();
  const id = await activityStarting(10);
  await callAs(v, 'activity', { action: 'signup', id });
  const scene = await sceneOf(id);
  launchAs(v);
  const page = openPage('packages/activity/scan/index', { scene: encodeURIComponent(scene) });
  await waitFor('the check-in', page, () => textOf(page, '#result-title') === '签到成功');
  expect(textOf(page, '#result-message')).toContain('签到成功');
  expect((await rollOf(id)).entries).toEqual([expect.objectContaining({ openid: v, state: 'in' })]);

  scanner.next = { path: `packages/activity/scan/index?scene=${encodeURIComponent(scene)}` };
  tap(page, '#scan');
  await waitFor('the answer', page, () => textOf(page, '#result-title') === '已经签到了');
});

test('a refused code says why in plain words', async () => {
  const v = await freshVolunteer();
  const id = await activityStarting(10);
  launchAs(v);
  const page = openPage('packages/activity/scan/index');
  scanner.next = { result: await sceneOf(id) };
  tap(page, '#scan');
  await waitFor('the refusal', page, () => textOf(page, '#result-title') === '没有签上');
  expect(textOf(page, '#result-message')).toBe('这个活动要先报名，您还没有报名。');
});

test('without signal the scan is kept with its time and sent when the cloud answers again', async () => {
  // The phone's clock reads the cloud's moment (the pages' cloud is not on the wall clock): the kept
  // scan carries the phone's time, and it must fall in the code's slot as it would on a real phone.
  jest.useFakeTimers({ now: await cloudNow(), advanceTimers: true, doNotFake: TIMERS });
  const v = await freshVolunteer();
  const id = await activityStarting(10);
  await callAs(v, 'activity', { action: 'signup', id });
  const scene = await sceneOf(id);
  launchAs(v);
  const page = openPage('packages/activity/scan/index');
  miniprogram.config.setLocalCloudUrl('http://127.0.0.1:9');
  scanner.next = { result: scene };
  tap(page, '#scan');
  await waitFor('the kept scan', page, () => page.data.status === 'kept');
  expect(textOf(page, '#pending-text')).toContain('1 次');
  expect(storage.get('activity.pendingScans')).toEqual([{ scene, scannedAt: expect.any(String) }]);
  expect((await rollOf(id)).entries).toEqual([]);

  miniprogram.config.setLocalCloudUrl(CLOUD_URL);
  tap(page, '#send-pending');
  await waitFor('the late check-in', page, () => textOf(page, '#result-title') === '补交成功 1 次');
  expect(exists(page, '#pending')).toBe(false);
  expect((await rollOf(id)).entries).toEqual([expect.objectContaining({ openid: v, state: 'in' })]);
});

test('a practice point’s poster code opens the point and checks no one in', async () => {
  launchAs('demo-volunteer');
  const page = openPage('packages/activity/scan/index', { scene: encodeURIComponent(`p.${POINT}`) });
  const url = await waitForNavigation(page, 'navigateTo');
  expect(url).toBe(`/packages/activity/point/index?id=${POINT}`);

  const point = openPage('packages/activity/point/index', { id: POINT });
  await waitFor('the point', point, () => textOf(point, '#name'));
  expect(textOf(point, '#station')).toContain('凤山村');
  tap(point, '#wish');
  const wish = `/packages/order/create/index?pointId=${POINT}`;
  await waitFor('the wish form', point, () => callsTo('navigateTo').some((c) => c.url === wish));
});

test('the list finds activities near and in the village; the detail signs up and cancels', async () => {
  const v = await freshVolunteer();
  const id = await activityStarting(24 * 60);
  const point = await callAs<{ location: { lat: number; lng: number } }>(v, 'org', { action: 'get', id: POINT });
  launchAs(v);
  device.location = { latitude: point.location.lat, longitude: point.location.lng };
  const list = openPage('packages/activity/list/index');
  await waitFor('nearby activities', list, () => exists(list, `#card-${id}`));
  expect(textOf(list, `#card-${id}`)).toMatch(/距您\d+米/);
  tap(list, '#tab-area');
  await waitFor('the village’s activities', list, () => list.data.tab === 'area' && exists(list, `#card-${id}`));
  tap(list, `#card-${id}`);
  expect(await waitForNavigation(list, 'navigateTo')).toBe(`/packages/activity/detail/index?id=${id}`);

  const detail = openPage('packages/activity/detail/index', { id });
  await waitFor('the sign-up button', detail, () => exists(detail, '#signup'));
  expect(exists(detail, '#manage')).toBe(false);
  tap(detail, '#signup');
  await waitFor('signed up', detail, () => exists(detail, '#signed'));
  expect(textOf(detail, '#seats')).toContain('已报名 1/20 人');
  tap(detail, '#cancel-signup');
  await waitFor('cancelled', detail, () => exists(detail, '#signup'));
});

test('my hours show recorded and honour hours apart, with the star level', async () => {
  launchAs('demo-volunteer');
  const page = openPage('packages/activity/hours/index');
  await waitFor('the totals', page, () => textOf(page, '#honour'));
  const hours = await callAs<{ recordedHours: number; honourHours: number; records: unknown[] }>(
    'demo-volunteer',
    'activity',
    {
      action: 'hours',
    },
  );
  expect(textOf(page, '#recorded')).toContain(`${hours.recordedHours}小时`);
  expect(textOf(page, '#honour')).toContain(`${hours.honourHours}小时`);
  expect(hours.honourHours).toBeGreaterThan(0);
  expect(textOf(page, '#star-text')).toBe('还没有星级');
  expect(textOf(page, '#to-next')).toMatch(/^再服务 \d+ 小时升一星$/);
  expect(page.querySelectorAll('.wm-item')).toHaveLength(hours.records.length);
});

test('a certificate is asked for, listed with its code, and verified by anyone', async () => {
  launchAs('demo-volunteer');
  const page = openPage('packages/activity/certificates/index');
  await waitFor('the form', page, () => exists(page, '#issue'));
  (page.instance as unknown as { setData(d: object): void }).setData({ from: '2020-01-01' });
  tap(page, '#issue');
  await waitFor('the certificate', page, () => page.querySelectorAll('.wm-card').length > 1);
  const code = /验证码 ([A-Z0-9]{12})/.exec(page.dom?.textContent ?? '')?.[1];
  expect(code).toBeDefined();

  // Opened as a PDF in WeChat's viewer, with the menu to forward it: the file downloaded is the certificate.
  tap(page, `#pdf-${code}`);
  await waitFor('the document viewer', page, () => documents.length > 0);
  expect(documents).toEqual([{ filePath: expect.any(String), fileType: 'pdf', showMenu: true }]);
  expect(fs.readFileSync(documents[0].filePath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // Read back with poppler (tests/helpers/pdf.ts reads the same way; it loads the local cloud, not for pages).
  const printed = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', documents[0].filePath, '-'], {
    encoding: 'utf8',
  });
  expect(printed).toContain('志愿服务记录证明');
  expect(printed).toContain(`证明编号（验证码）：${code}`);

  launchAs('someone-checking');
  const verify = openPage('packages/activity/verify/index');
  typeInto(verify, '#code', (code ?? '').toLowerCase());
  tap(verify, '#verify');
  await waitFor('the verdict', verify, () => textOf(verify, '#verdict'));
  expect(textOf(verify, '#verdict')).toBe('证明有效');
  expect(textOf(verify, '#who')).toMatch(/张志愿（138\*{4}0001）/);
  // A mistyped code is refused in words, and the verdict is gone.
  typeInto(verify, '#code', 'ABCDEFGHJKLM');
  tap(verify, '#verify');
  await waitFor('the refusal', verify, () => textOf(verify, '#message'));
  expect(textOf(verify, '#message')).toBe('没有找到这份证明，请核对验证码。');
  expect(exists(verify, '#verdict')).toBe(false);
  // The QR code printed on the PDF holds the code: scanned, it is verified the same way (the verdict can
  // only come back from the scan, since the refusal took it away).
  scanner.next = { result: code ?? '' };
  tap(verify, '#scan');
  await waitFor('the scanned verdict', verify, () => exists(verify, '#verdict'));
  expect(verify.data.code).toBe(code);
  expect(textOf(verify, '#verdict')).toBe('证明有效');
  expect(exists(verify, '#message')).toBe(false);
});

test('我的 lists the activities the volunteer signed up for', async () => {
  const v = await freshVolunteer();
  const id = await activityStarting(24 * 60);
  await callAs(v, 'activity', { action: 'signup', id });
  launchAs(v);
  const list = openPage('packages/activity/list/index', { tab: 'mine' });
  await waitFor('my activities', list, () => list.data.tab === 'mine' && exists(list, `#card-${id}`));
  expect(textOf(list, `#card-${id}`)).toContain('已报名 1/20 人');
  expect(list.querySelectorAll('.wm-activity-card')).toHaveLength(1);
});
