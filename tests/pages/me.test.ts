/**
 * 我的: the demo villager sees her village with its town, her household with its head and number, her
 * role; the privacy guide can be read and agreed to through WeChat's consent flow; and the switcher
 * between the demo identities appears in local development only, switches, and relaunches.
 */
import type { Me } from '../../typings/api';
import {
  callAs,
  CLOUD_URL,
  DEMO_IDENTITIES,
  closeAllPages,
  component,
  exists,
  fire,
  launchAs,
  launchApp,
  miniprogram,
  openPage,
  postJson,
  tap,
  textOf,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import { callsTo, device, storage } from './wx-fake';

const shown = (page: SimPage) => exists(page, '#profile');

afterEach(() => closeAllPages());

test('the demo villager sees her village, her household with its head and number, and her role', async () => {
  launchAs('demo-villager');
  const page = openPage('pages/me/index');
  await waitFor('我的', page, () => shown(page));

  expect(textOf(page, '#name')).toBe('赵桂英');
  expect(textOf(page, '#village')).toBe('凤山村（海安街道）');
  expect(textOf(page, '#roles')).toBe('群众');
  expect(textOf(page, '#bind')).toBe('更换村居');
  const members = page.querySelectorAll('.wm-me__member').map((m) => m.dom?.textContent?.replace(/\s+/g, ''));
  expect(members).toEqual(['赵桂英户主（我）', '赵建国']);
  expect(textOf(page, '#household-id')).toBe('10000001');
  expect(textOf(page, '#volunteer-entry')).toBe('注册志愿者');

  tap(page, '#copy-household');
  await waitFor('the copy', page, () => callsTo('setClipboardData').length === 1);
  expect(callsTo('setClipboardData')[0].data).toBe('10000001');

  tap(page, '#bind');
  await waitFor('the binding page', page, () => callsTo('navigateTo').length === 1);
  expect(callsTo('navigateTo')[0].url).toBe('/packages/profile/bind/index');
});

test('the demo volunteer sees what they registered and 修改志愿者信息', async () => {
  launchAs('demo-volunteer');
  const page = openPage('pages/me/index');
  await waitFor('我的', page, () => shown(page));

  expect(textOf(page, '#no-village')).toBe('还没有绑定村（社区）');
  expect(textOf(page, '#volunteer')).toContain('服务技能：送健康、送科技、送爱心');
  expect(textOf(page, '#volunteer')).toContain('手机号：13800000001');
  expect(textOf(page, '#volunteer-entry')).toBe('修改志愿者信息');
  // Their own rating, first: what the villagers thought of their work.
  const me = await callAs<Me>('demo-volunteer', 'user', { action: 'me' });
  const rating = me.volunteer?.rating ?? { average: 0, count: 0 };
  expect(rating.count).toBeGreaterThan(0);
  expect(textOf(page, '#volunteer-rating')).toBe(`乡亲们的评价：${rating.average} 星（${rating.count} 次评价）`);
});

describe('privacy', () => {
  test('a villager who has not agreed reads the guide and agrees through the popup', async () => {
    launchAs(uniqueOpenid('me'));
    device.privacyAgreed = false;
    const page = openPage('pages/me/index');
    await waitFor('the privacy state', page, () => exists(page, '#privacy-consent'));
    expect(textOf(page, '#privacy-state')).toBe('您还没有同意隐私保护指引。用到位置、手机号时会再问您。');
    expect(textOf(page, '#privacy-read')).toBe('阅读《文明实践云隐私保护指引》');

    tap(page, '#privacy-read');
    await waitFor('the guide', page, () => callsTo('openPrivacyContract').length === 1);

    tap(page, '#privacy-consent');
    const popup = component(page, '#privacy-popup-host');
    await waitFor('the popup', page, () => exists(popup, '#privacy-popup'));
    // Drawn, not only present: the sheet (a library popup) shows its slot only while it is open.
    await waitFor('the sheet drawn on the page', page, () =>
      page.dom?.textContent?.includes('请您先看一看隐私保护指引'),
    );
    expect(textOf(popup, '#privacy-agree')).toBe('同意并继续');
    fire(popup, '#privacy-agree', 'agreeprivacyauthorization');

    await waitFor('the agreement', page, () => textOf(page, '#privacy-state') === '您已同意隐私保护指引。');
    expect(device.privacyAgreed).toBe(true);
    expect(exists(popup, '#privacy-popup')).toBe(false);
    expect(page.dom?.textContent).not.toContain('请您先看一看隐私保护指引');
    expect(exists(page, '#privacy-consent')).toBe(false);
  });

  test('不同意 closes the popup and nothing is agreed', async () => {
    launchAs(uniqueOpenid('me'));
    device.privacyAgreed = false;
    const page = openPage('pages/me/index');
    await waitFor('the privacy state', page, () => exists(page, '#privacy-consent'));

    tap(page, '#privacy-consent');
    const popup = component(page, '#privacy-popup-host');
    await waitFor('the popup', page, () => exists(popup, '#privacy-popup'));
    tap(popup, '#privacy-disagree');

    await waitFor('the popup to close', page, () => !exists(popup, '#privacy-popup'));
    expect(device.privacyAgreed).toBe(false);
    expect(exists(page, '#privacy-consent')).toBe(true);
  });
});

describe('the local development identity switcher', () => {
  test('lists the demo identities the local cloud has, the current one marked', async () => {
    launchAs('demo-villager');
    const page = openPage('pages/me/index');
    await waitFor('the switcher', page, () => exists(page, '#identity-switcher'));

    const items = page.querySelectorAll('#identity-switcher .wm-item');
    expect(items.map((i) => i.dom?.textContent?.replace(/\s+/g, ' ').trim())).toEqual(
      DEMO_IDENTITIES.map((i) => `${i.who}${i.openid}${i.openid === 'demo-villager' ? ' · 当前身份' : ''}`),
    );
    expect(DEMO_IDENTITIES).toHaveLength(5);
  });

  test('switching identity stores it and relaunches, and the app logs in as the new identity', async () => {
    launchAs('demo-villager');
    const page = openPage('pages/me/index');
    await waitFor('the switcher', page, () => exists(page, '#identity-demo-station-head'));

    tap(page, '#identity-demo-station-head');

    await waitFor('the relaunch', page, () => callsTo('reLaunch').length === 1);
    expect(callsTo('reLaunch')[0].url).toBe('/pages/home/index');
    expect(storage.get('localcloud.openid')).toBe('demo-station-head');

    closeAllPages();
    const home = openPage('pages/home/index');
    await waitFor('the station head home', home, () => exists(home, '#section-station'));
    expect(textOf(home, '#greeting')).toBe('李站长，您好！');
    expect(exists(home, '#section-villager')).toBe(false);
  });

  test('is not there outside local development', async () => {
    const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
    launchAs('demo-villager');
    // A release build: the transport calls CloudBase, which here answers through the local cloud as
    // the demo villager, the way CloudBase would answer from the WeChat session.
    Object.assign(wx, {
      getAccountInfoSync: () => ({
        miniProgram: { appId: 'wx0', envVersion: 'release', version: '1.0.0' },
        plugin: {},
      }),
      cloud: {
        init: () => undefined,
        callFunction: async ({ name, data }: { name: string; data: unknown }) => {
          const { json } = await postJson(`${CLOUD_URL}/fn/${name}`, data, { 'x-wx-openid': 'demo-villager' });
          return { result: json };
        },
      },
    });
    expect(miniprogram.config.useLocalCloud()).toBe(false);
    launchApp();

    const page = openPage('pages/me/index');
    await waitFor('我的', page, () => shown(page));

    expect(textOf(page, '#name')).toBe('赵桂英');
    expect(exists(page, '#identity-switcher')).toBe(false);
  });
});
