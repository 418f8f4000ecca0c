/**
 * Binding to a village, as a new villager does it: 我的 → 绑定村居 → search 凤山 → pick the station →
 * name → new household (or an existing one by its number) → 确认绑定; then 我的 shows the village with
 * its town and the household with its head. A name the content check rejects, or a household number
 * that is not in that village, is said in plain words and binds nothing.
 */
import type { Me } from '../../typings/api';
import {
  callAs,
  closePage,
  closeAllPages,
  component,
  exists,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  uniqueName,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import { callsTo, device, queryOf, requests, routeOf } from './wx-fake';

const STATION = 'haian-01-001';

afterEach(() => closeAllPages());

/** Searches the picker on `page` for `q` and picks the station `id`. */
async function pickStation(page: SimPage, q: string, id: string): Promise<void> {
  const picker = component(page, '#station-picker');
  typeInto(picker, '#picker-query', q);
  tap(picker, '#picker-search');
  await waitFor(`the station ${id} in the results`, page, () => exists(picker, `#station-${id}`));
  tap(picker, `#station-${id}`);
  await waitFor('the second step', page, () => exists(page, '#step-form'));
}

/** Follows the last wx.navigateTo: opens that page with its query. */
function follow(): SimPage {
  const url = String(callsTo('navigateTo').at(-1)?.url ?? '');
  return openPage(routeOf(url), queryOf(url));
}

const bindRequests = () => requests.filter((r) => (r.data as { action?: string }).action === 'bind');

test('a new villager binds to 凤山村 as the head of a new household, and 我的 shows it', async () => {
  const openid = uniqueOpenid('bind');
  const name = uniqueName('孙');
  launchAs(openid);
  const me = openPage('pages/me/index');
  await waitFor('我的', me, () => exists(me, '#profile'));
  expect(textOf(me, '#no-village')).toBe('还没有绑定村（社区）');
  expect(textOf(me, '#bind')).toBe('绑定村居');
  expect(exists(me, '#household')).toBe(false);

  tap(me, '#bind');
  await waitFor('the navigation', me, () => callsTo('navigateTo').length === 1);
  const page = follow();
  expect(exists(page, '#step-pick')).toBe(true);

  await pickStation(page, '凤山', STATION);
  expect(textOf(page, '#chosen-station')).toBe('凤山村（海安街道）');
  typeInto(page, '#name', name);
  expect(exists(page, '#household-new.wm-item--chosen')).toBe(true);
  tap(page, '#submit');

  await waitFor('the success', page, () => exists(page, '#step-done'));
  expect(textOf(page, '#done-place')).toBe('您已绑定到：凤山村（海安街道）');
  expect(bindRequests().map((r) => r.data)).toEqual([{ action: 'bind', stationId: STATION, name }]);

  tap(page, '#done');
  await waitFor('going back', page, () => callsTo('navigateBack').length === 1);
  const back = closePage();
  expect(back).toBe(me);

  await waitFor('我的 with the village', me, () => exists(me, '#village'));
  expect(textOf(me, '#village')).toBe('凤山村（海安街道）');
  expect(textOf(me, '#name')).toBe(name);
  expect(textOf(me, '#roles')).toBe('群众');
  expect(textOf(me, '#bind')).toBe('更换村居');
  expect(textOf(me, '#household')).toContain(`${name}户主（我）`);
  const householdId = textOf(me, '#household-id') ?? '';
  expect(householdId).toMatch(/^\d{8}$/);

  const stored = await callAs<Me>(openid, 'user', { action: 'me' });
  expect(stored).toMatchObject({ stationId: STATION, name, household: { id: householdId, headOpenid: openid } });
});

test('a name the content check rejects is refused in plain words, and nothing is bound', async () => {
  const openid = uniqueOpenid('bind');
  launchAs(openid);
  const page = openPage('packages/profile/bind/index');

  await pickStation(page, '凤山', STATION);
  typeInto(page, '#name', uniqueName('赌博'));
  tap(page, '#submit');

  await waitFor('the error', page, () => exists(page, '#bind-error'));
  expect(textOf(page, '#bind-error')).toBe('填写的姓名没有通过检查，请填写您的真实姓名。');
  expect(exists(page, '#step-done')).toBe(false);
  expect(bindRequests()).toHaveLength(1);

  const stored = await callAs<Me>(openid, 'user', { action: 'me' });
  expect(stored).toMatchObject({ stationId: null, householdId: null, household: null, roles: [] });
});

test('a name that is not a name is caught before anything is sent', async () => {
  launchAs(uniqueOpenid('bind'));
  const page = openPage('packages/profile/bind/index');

  await pickStation(page, '凤山', STATION);
  typeInto(page, '#name', '张3');
  tap(page, '#submit');

  await waitFor('the error', page, () => exists(page, '#bind-error'));
  expect(textOf(page, '#bind-error')).toBe('姓名请填写 2 到 20 个字，只能是汉字或字母。');
  expect(bindRequests()).toHaveLength(0);
});

test('a family member asks to join by the number the head reads on 我的, and joins once the head agrees there', async () => {
  const head = uniqueOpenid('head');
  const headName = uniqueName('周');
  const headMe = await callAs<Me>(head, 'user', { action: 'bind', stationId: STATION, name: headName });
  const householdId = headMe.household?.id ?? '';

  const openid = uniqueOpenid('member');
  const name = uniqueName('周');
  launchAs(openid);
  const page = openPage('packages/profile/bind/index');
  await pickStation(page, '凤山', STATION);
  typeInto(page, '#name', name);
  tap(page, '#household-join');
  await waitFor('the household number field', page, () => exists(page, '#household-id'));
  typeInto(page, '#household-id', householdId);
  tap(page, '#submit');

  await waitFor('the success', page, () => exists(page, '#step-done'));
  expect(textOf(page, '#done-waiting')).toContain(`已经请${headName}（户主）同意您加入`);
  const waiting = openPage('pages/me/index');
  await waitFor('waiting for the head', waiting, () => exists(waiting, '#join-waiting'));
  expect(textOf(waiting, '#join-waiting')).toContain(`等${headName}`);
  expect(textOf(waiting, '#household')).not.toContain(headName);
  closeAllPages();

  // The head opens 我的, sees who asks, and agrees.
  launchAs(head);
  const headPage = openPage('pages/me/index');
  await waitFor('the request', headPage, () => exists(headPage, `#join-request-${openid}`));
  expect(textOf(headPage, '#join-requests')).toContain(name);
  tap(headPage, `#join-approve-${openid}`);
  await waitFor('the request answered', headPage, () => !exists(headPage, '#join-requests'));
  expect(textOf(headPage, '#household')).toContain(name);
  closeAllPages();

  launchAs(openid);
  const me = openPage('pages/me/index');
  await waitFor('the household', me, () => exists(me, '#household') && !exists(me, '#join-waiting'));
  expect(textOf(me, '#household')).toContain(`${headName}户主`);
  expect(textOf(me, '#household')).toContain(`${name}（我）`);
  expect(textOf(me, '#household-id')).toBe(householdId);
});

test('a head declines a request on 我的; the asker stays in a household of their own', async () => {
  const head = uniqueOpenid('head');
  const headMe = await callAs<Me>(head, 'user', { action: 'bind', stationId: STATION, name: uniqueName('钱') });
  const asker = uniqueOpenid('asker');
  const name = uniqueName('孙');
  await callAs<Me>(asker, 'user', { action: 'bind', stationId: STATION, name, householdId: headMe.household!.id });

  launchAs(head);
  const page = openPage('pages/me/index');
  await waitFor('the request', page, () => exists(page, `#join-decline-${asker}`));
  tap(page, `#join-decline-${asker}`);
  await waitFor('the request answered', page, () => !exists(page, '#join-requests'));
  expect(textOf(page, '#household')).not.toContain(name);
  const after = await callAs<Me>(asker, 'user', { action: 'me' });
  expect(after.joinRequest).toBeNull();
  expect(after.household!.headOpenid).toBe(asker);
});

test('a household number that is not in this village is refused in plain words', async () => {
  const openid = uniqueOpenid('member');
  launchAs(openid);
  const page = openPage('packages/profile/bind/index');
  await pickStation(page, '凤山', STATION);
  typeInto(page, '#name', uniqueName('吴'));
  tap(page, '#household-join');
  await waitFor('the household number field', page, () => exists(page, '#household-id'));
  typeInto(page, '#household-id', '99999998');
  tap(page, '#submit');

  await waitFor('the error', page, () => exists(page, '#bind-error'));
  expect(textOf(page, '#bind-error')).toBe('这个村里没有找到这一户，请核对户号。');
  const stored = await callAs<Me>(openid, 'user', { action: 'me' });
  expect(stored.stationId).toBeNull();
});

test('the picker finds the nearest stations from where the villager stands, with the distance', async () => {
  const station = await callAs<{ location: { lat: number; lng: number } }>('demo-villager', 'org', {
    action: 'get',
    id: STATION,
  });
  launchAs(uniqueOpenid('near'));
  device.location = { latitude: station.location.lat, longitude: station.location.lng };
  const page = openPage('packages/profile/bind/index');
  const picker = component(page, '#station-picker');

  tap(picker, '#picker-tab-near');

  await waitFor('the nearest stations', page, () => exists(picker, '#picker-results'));
  const rows = picker.querySelectorAll('.wm-item');
  expect(rows.length).toBeGreaterThan(1);
  expect(rows[0].dom?.textContent).toContain('凤山村');
  // Standing at 凤山村's own spot: closer than a phone can tell.
  expect(rows[0].dom?.textContent).toContain('就在附近');
  expect(rows[1].dom?.textContent).toMatch(/离您\d+(\.\d)?(米|公里)/);

  tap(picker, `#station-${STATION}`);
  await waitFor('the second step', page, () => exists(page, '#step-form'));
  expect(textOf(page, '#chosen-station')).toBe('凤山村');
});

test('when location is refused, the picker says how to allow it and offers the search by name', async () => {
  launchAs(uniqueOpenid('near'));
  device.locationAllowed = false;
  const page = openPage('packages/profile/bind/index');
  const picker = component(page, '#station-picker');

  tap(picker, '#picker-tab-near');

  await waitFor('the problem', page, () => exists(picker, '#picker-problem'));
  expect(textOf(picker, '#picker-message')).toBe('您没有允许使用位置。请点“去设置”，把“位置信息”打开后再试。');
  expect(exists(picker, '#picker-setting')).toBe(true);
  tap(picker, '#picker-use-search');
  await waitFor('the search', page, () => exists(picker, '#picker-query'));
});
