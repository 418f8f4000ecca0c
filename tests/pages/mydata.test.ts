/**
 * 我的信息 and 注销, as a villager uses them: 我的 → 我的信息 shows what is held about them in plain
 * sections (the other household members' names masked, their own phone in full, who saw their phone);
 * 注销我的账号 asks twice in plain words, a 不注销 at either question changes nothing, and two yeses
 * close the account: the page says so and the next login is a new person.
 */
import type { Me } from '../../typings/api';
import {
  callAs,
  closeAllPages,
  exists,
  launchAs,
  openPage,
  tap,
  textOf,
  uniqueName,
  uniqueOpenid,
  waitFor,
} from './harness';
import { callsTo, device, queryOf, requests, routeOf } from './wx-fake';

afterEach(() => {
  device.confirmsModals = true;
  closeAllPages();
});

const closeRequests = () => requests.filter((r) => (r.data as { action?: string }).action === 'close');

test('我的 → 我的信息 shows my profile, household (others masked), volunteer record and lists', async () => {
  launchAs('demo-villager');
  const me = openPage('pages/me/index');
  await waitFor('我的', me, () => exists(me, '#mydata-entry'));
  tap(me, '#mydata-entry');
  await waitFor('the navigation', me, () => callsTo('navigateTo').length === 1);
  const url = String(callsTo('navigateTo')[0].url);
  expect(routeOf(url)).toBe('packages/profile/mydata/index');
  const page = openPage(routeOf(url), queryOf(url));

  await waitFor('my information', page, () => exists(page, '#about'));
  expect(textOf(page, '#about-name')).toBe('姓名：赵桂英');
  expect(textOf(page, '#about-place')).toBe('村（社区）：凤山村');
  const household = textOf(page, '#household') ?? '';
  expect(household).toContain('赵桂英（户主）（我）');
  expect(household).toContain('赵**');
  expect(household).not.toContain('赵建国');
  expect(textOf(page, '#balance')).toMatch(/^我家积分：\d+ 分$/);
  for (const list of ['requested', 'assigned', 'hours', 'points', 'reveals']) {
    expect(exists(page, `#list-${list}`)).toBe(true);
  }
  expect(textOf(page, '#list-reveals')).toContain('谁看过我的电话和地址');
  expect(exists(page, '#volunteer')).toBe(false);
});

test('a volunteer sees their own phone in full', async () => {
  launchAs('demo-volunteer');
  const page = openPage('packages/profile/mydata/index');
  await waitFor('my information', page, () => exists(page, '#volunteer'));
  expect(textOf(page, '#volunteer-phone')).toBe('手机号：13800000001');
});

test('注销 asks twice; a no changes nothing, two yeses close the account', async () => {
  const openid = uniqueOpenid('close');
  await callAs<Me>(openid, 'user', { action: 'bind', stationId: 'haian-01-001', name: uniqueName('周') });
  launchAs(openid);
  const page = openPage('packages/profile/mydata/index');
  await waitFor('my information', page, () => exists(page, '#close'));

  // 不注销 at the first question.
  device.confirmsModals = false;
  tap(page, '#close');
  await waitFor('the first question', page, () => callsTo('showModal').length === 1);
  const first = callsTo('showModal')[0];
  expect(first.title).toBe('注销账号');
  expect(String(first.content)).toContain('姓名、手机号、地址会被删除');
  expect(String(first.content)).toContain('已注销用户');
  expect(closeRequests()).toEqual([]);

  // Two yeses.
  device.confirmsModals = true;
  tap(page, '#close');
  await waitFor('the closing', page, () => exists(page, '#closed'));
  const questions = callsTo('showModal').slice(1);
  expect(questions.map((q) => q.title)).toEqual(['注销账号', '再确认一次']);
  expect(String(questions[1].content)).toContain('不能恢复');
  expect(closeRequests().map((r) => r.data)).toEqual([{ action: 'close', confirm: true }]);
  expect(textOf(page, '#closed-text')).toMatch(/^您的账号已经注销/);

  const after = await callAs<Me>(openid, 'user', { action: 'me' });
  expect(after).toMatchObject({ isNew: true, name: null, household: null });

  tap(page, '#home');
  await waitFor('the relaunch', page, () => callsTo('reLaunch').length === 1);
  expect(callsTo('reLaunch').map((c) => c.url)).toEqual(['/pages/home/index']);
});
