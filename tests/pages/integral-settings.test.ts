/**
 * 积分规则设置: the center admin reads the settings every station runs by, a value out of its bounds
 * is refused on the page with the bounds in words (nothing sent), a good one is saved and read back.
 * The pages share one local cloud: the test puts the defaults back when it is done.
 */
import { INTEGRAL_DEFAULTS } from '../../typings/integral';
import { callAs, closeAllPages, exists, launchAs, openPage, tap, textOf, typeInto, waitFor } from './harness';
import { requests } from './wx-fake';

const CENTER = 'demo-center-admin';
const ready = (page: ReturnType<typeof openPage>) => page.data.status === 'ready';
const saves = () => requests.filter((r) => JSON.stringify(r).includes('setSettings'));

afterEach(() => closeAllPages());

test('the center admin changes a setting within its bounds; out of bounds is refused on the page', async () => {
  launchAs(CENTER);
  const page = openPage('packages/integral/settings/index');
  await waitFor('the settings', page, () => ready(page));
  expect((page.data.fields as { key: string; value: string }[]).map((f) => [f.key, f.value])).toEqual(
    Object.entries(INTEGRAL_DEFAULTS).map(([k, v]) => [k, String(v)]),
  );
  expect(textOf(page, '#field-noticeDays')).toContain('可填 1～30天');

  try {
    typeInto(page, '#input-noticeDays', '0');
    tap(page, '#save');
    await waitFor('the refusal', page, () => exists(page, '#action-error'));
    expect(textOf(page, '#action-error')).toBe('“公示天数”要填 1 到 30 之间的整数。');
    expect(saves()).toEqual([]);

    typeInto(page, '#input-noticeDays', '3');
    typeInto(page, '#input-pickupDays', '10');
    tap(page, '#save');
    await waitFor('the save', page, () => exists(page, '#saved'));
    expect(textOf(page, '#saved')).toBe('已保存，各站从现在起按新设置办理。');
    expect(saves()).toHaveLength(1);
    const now = await callAs<typeof INTEGRAL_DEFAULTS>(CENTER, 'integral', { action: 'settings' });
    expect(now).toEqual({ ...INTEGRAL_DEFAULTS, pickupDays: 10 });
  } finally {
    await callAs(CENTER, 'integral', { action: 'setSettings', settings: INTEGRAL_DEFAULTS });
  }
});

test('a station head is told the page is the center admin’s', async () => {
  launchAs('demo-station-head');
  const page = openPage('packages/integral/settings/index');
  await waitFor('the refusal', page, () => exists(page, '#error'));
  expect(textOf(page, '#error')).toBe('只有中心管理员可以修改积分规则设置。');
});
