/**
 * 我的 in the usual list layout: a card with who the caller is, then rows by role, each opening its page —
 * 我的积分 with the household's balance, 服务时长 with the hours and star level, 我的证书, 我的活动, 消息,
 * a station head's 站点设置, an admin's 实践点管理 — and 更换村居 as an ordinary row.
 */
import { callAs, closeAllPages, exists, launchAs, openPage, tap, textOf, waitFor, type SimPage } from './harness';
import { callsTo } from './wx-fake';

afterEach(() => closeAllPages());

const rowTitles = (page: SimPage) =>
  page.querySelectorAll('#rows .wm-me__row-title').map((n) => n.dom?.textContent?.trim() ?? '');

async function openMe(openid: string): Promise<SimPage> {
  launchAs(openid);
  const page = openPage('pages/me/index');
  await waitFor('我的', page, () => exists(page, '#profile') && exists(page, '#rows'));
  return page;
}

test('a villager’s rows: her household’s points with the balance, her activities, messages; 更换村居 is a row', async () => {
  const page = await openMe('demo-villager');
  expect(rowTitles(page)).toEqual(['我的积分', '我的活动', '消息']);
  const { balance } = await callAs<{ balance: number }>('demo-villager', 'integral', { action: 'balance' });
  await waitFor('the balance', page, () => exists(page, '#integral-entry-figure'));
  expect(textOf(page, '#integral-entry-figure')).toBe(`${balance}分`);
  expect(page.querySelector('#rows-more #bind')).toBeDefined();
  expect(page.querySelector('#bind.wm-button')).toBeUndefined();

  tap(page, '#integral-entry');
  await waitFor('the points page', page, () => callsTo('navigateTo').length === 1);
  expect(callsTo('navigateTo')[0].url).toBe('/packages/integral/home/index');
});

test('a volunteer’s rows add hours with the star level and certificates', async () => {
  const page = await openMe('demo-volunteer');
  expect(rowTitles(page)).toEqual(['服务时长', '我的证书', '我的活动', '消息']);
  const hours = await callAs<{ recordedHours: number; honourHours: number; stars: { stars: number } }>(
    'demo-volunteer',
    'activity',
    { action: 'hours' },
  );
  const total = Math.round((hours.recordedHours + hours.honourHours) * 10) / 10;
  await waitFor('the hours', page, () => exists(page, '#hours-entry-figure'));
  expect(textOf(page, '#hours-entry-figure')).toBe(
    `${total}小时${hours.stars.stars > 0 ? ` ${'★'.repeat(hours.stars.stars)}` : ''}`,
  );
  tap(page, '#certificates-entry');
  await waitFor('the certificates page', page, () => callsTo('navigateTo').length === 1);
  expect(callsTo('navigateTo')[0].url).toBe('/packages/activity/certificates/index');
});

test('a station head has 站点设置; a county admin has 实践点管理 and 积分规则设置', async () => {
  const head = await openMe('demo-station-head');
  expect(rowTitles(head)).toContain('站点设置');
  expect(rowTitles(head)).not.toContain('实践点管理');
  expect(rowTitles(head)).not.toContain('积分规则设置');
  tap(head, '#station-settings-entry');
  await waitFor('the settings page', head, () => callsTo('navigateTo').length === 1);
  expect(callsTo('navigateTo')[0].url).toBe('/packages/admin/station/index');
  closeAllPages();

  const admin = await openMe('demo-center-admin');
  expect(rowTitles(admin)).toContain('实践点管理');
  expect(rowTitles(admin)).not.toContain('站点设置');
  tap(admin, '#integral-settings-entry');
  await waitFor('the integral settings page', admin, () => callsTo('navigateTo').length === 1);
  expect(callsTo('navigateTo')[0].url).toBe('/packages/integral/settings/index');
});
