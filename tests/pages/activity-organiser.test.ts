/**
 * The station head's check-in pages against the demo county: creating an activity at one of the
 * station's points; the rotating code full screen (screen kept on, brightness up and given back, a
 * countdown, a fresh code as each runs out); the live roll with a flagged scan confirmed; honour hours
 * added for a volunteer of the station.
 */
import {
  callAs,
  closeAllPages,
  exists,
  fire,
  hidePage,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  waitFor,
} from './harness';
import { waitForNavigation } from './order-helpers';
import { callsTo, requests } from './wx-fake';

const requestsOf = (action: string) => requests.filter((r) => (r.data as { action?: string }).action === action);
import {
  activityStarting,
  freshVolunteer,
  HEAD,
  installActivityPhone,
  POINT,
  sceneOf,
  screenCalls,
} from './activity-helpers';

beforeEach(() => installActivityPhone());
afterEach(() => closeAllPages());

test('the station head creates an activity at one of the station’s points', async () => {
  launchAs(HEAD);
  const page = openPage('packages/activity/manage/index', { pointId: POINT });
  await waitFor('the station’s points', page, () => (page.data.points as unknown[]).length > 1);
  expect(textOf(page, '#point')).toContain('地点：');
  await waitFor('what they organise', page, () => (page.data.items as unknown[]).length > 0);
  typeInto(page, '#title', '重阳节敬老活动');
  tap(page, '#create');
  const url = await waitForNavigation(page, 'navigateTo');
  const id = /id=([0-9a-z]{10})$/.exec(url)?.[1] ?? '';
  const made = await callAs<{ title: string; pointId: string; capacity: number }>(HEAD, 'activity', {
    action: 'get',
    id,
  });
  expect(made).toMatchObject({ title: '重阳节敬老活动', pointId: POINT, capacity: 20 });

  const detail = openPage('packages/activity/detail/index', { id });
  await waitFor('the organiser’s part', detail, () => exists(detail, '#manage'));
  tap(detail, '#code');
  const code = `/packages/activity/code/index?id=${id}`;
  await waitFor('the code page', detail, () => callsTo('navigateTo').some((c) => c.url === code));
});

test('the code shows full screen, kept on and bright, counts down, and gives the brightness back', async () => {
  const id = await activityStarting(5);
  launchAs(HEAD);
  const page = openPage('packages/activity/code/index', { id });
  await waitFor('the code', page, () => exists(page, '#image'));
  expect(page.data.image).toMatch(/^data:image\/png;base64,/);
  expect(textOf(page, '#countdown')).toMatch(/^\d+ 秒后换新码$/);
  expect(page.data.scene).toBe(await sceneOf(id));
  expect(screenCalls).toEqual(
    expect.arrayContaining([
      { api: 'setKeepScreenOn', value: true },
      { api: 'setScreenBrightness', value: 1 },
    ]),
  );
  // The slot runs out: a fresh code is fetched.
  (page.instance as unknown as { setData(d: object): void }).setData({ _validUntil: Date.now() - 1 });
  const asked = () => requestsOf('code').length;
  const before = asked();
  await waitFor('a fresh code', page, () => asked() > before && Number(page.data._validUntil) > Date.now());
  hidePage(page);
  expect(screenCalls.slice(-2)).toEqual([
    { api: 'setKeepScreenOn', value: false },
    { api: 'setScreenBrightness', value: 0.4 },
  ]);
});

test('the roll counts who is in and out, and a scan from far away is confirmed there', async () => {
  const id = await activityStarting(5);
  const near = await freshVolunteer();
  const far = await freshVolunteer();
  for (const v of [near, far]) await callAs(v, 'activity', { action: 'signup', id });
  const scene = await sceneOf(id);
  const point = await callAs<{ location: { lat: number; lng: number } }>(near, 'org', { action: 'get', id: POINT });
  await callAs(near, 'activity', { action: 'scan', scene, location: point.location });
  await callAs(far, 'activity', {
    action: 'scan',
    scene,
    location: { lat: point.location.lat + 0.045, lng: point.location.lng },
  });

  launchAs(HEAD);
  const page = openPage('packages/activity/roll/index', { id });
  await waitFor('the roll', page, () => textOf(page, '#count-in') === '2');
  expect(textOf(page, '#count-signed')).toBe('2');
  expect(textOf(page, '#count-flagged')).toBe('1');
  expect(page.dom?.textContent).toMatch(/离活动地点太远（约\d+米）/);
  const pending = (page.data.entries as { pending: boolean }[]).findIndex((e) => e.pending);
  tap(page, `#confirm-${pending}`);
  await waitFor('the decision', page, () => textOf(page, '#count-flagged') === '0');
  expect(page.dom?.textContent).toContain('站长已确认');
});

test('honour hours are added for a volunteer of the station, once', async () => {
  launchAs(HEAD);
  const page = openPage('packages/activity/honour/index');
  await waitFor('the volunteers', page, () => (page.data.people as unknown[]).length > 0);
  // A demo volunteer (approved): a registration another page test made may still wait for approval.
  const people = page.data.people as { openid: string; name: string }[];
  const index = people.findIndex((p) => p.openid.startsWith('demo-vol'));
  expect(index).toBeGreaterThanOrEqual(0);
  const who = people[index];
  fire(page, '#person', 'change', { value: index });
  await waitFor('the volunteer chosen', page, () => page.data.personIndex === index);
  const before = await callAs<{ honourMinutes: number }>(who.openid, 'activity', { action: 'hours' });
  typeInto(page, '#hours', '1.5');
  typeInto(page, '#title', '汛期值守');
  typeInto(page, '#reason', '夜里值守没有扫码');
  tap(page, '#submit');
  await waitFor('the confirmation', page, () => textOf(page, '#message'));
  expect(textOf(page, '#message')).toBe(`已给${who.name}补记1.5小时。`);
  const after = await callAs<{ honourMinutes: number }>(who.openid, 'activity', { action: 'hours' });
  expect(after.honourMinutes - before.honourMinutes).toBe(90);
});
