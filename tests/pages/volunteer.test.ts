/**
 * Volunteer registration as a villager does it: their village is served by default, one more is added
 * with the station picker; the phone typed in or taken from WeChat's getPhoneNumber button (whose
 * single-use code the cloud exchanges); skills among the ten services; when they are free. What is
 * stored is read back through the real function.
 */
import type { Me } from '../../typings/api';
import {
  CLOUD_URL,
  callAs,
  closeAllPages,
  component,
  exists,
  fire,
  launchAs,
  openPage,
  postJson,
  tap,
  textOf,
  typeInto,
  uniqueName,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import { callsTo, requests } from './wx-fake';

afterEach(() => closeAllPages());

const registrations = () =>
  requests.filter((r) => (r.data as { action?: string }).action === 'registerVolunteer').map((r) => r.data);

/** A villager bound to `stationId`, prepared through the real function. */
async function villagerOf(stationId: string): Promise<{ openid: string; name: string }> {
  const openid = uniqueOpenid('vol');
  const name = uniqueName('钱');
  await callAs<Me>(openid, 'user', { action: 'bind', stationId, name });
  return { openid, name };
}

async function openForm(openid: string): Promise<SimPage> {
  launchAs(openid);
  const page = openPage('packages/profile/volunteer/index');
  await waitFor('the form', page, () => exists(page, '#submit'));
  return page;
}

async function phoneCode(phone: string): Promise<string> {
  const { json } = await postJson(`${CLOUD_URL}/_admin/phone-code`, { phone });
  return (json as { code: string }).code;
}

test('a villager registers with a typed phone, serving their village and one more', async () => {
  const { openid, name } = await villagerOf('haian-01-003');
  const page = await openForm(openid);

  expect(textOf(page, '.wm-card__title')).toBe('注册志愿者');
  await waitFor('their own village', page, () => exists(page, '#served-haian-01-003'));
  expect(page.querySelectorAll('.wm-volunteer__skill')).toHaveLength(10);
  expect(textOf(page, '#skill-health')).toBe('送健康量血压、义诊，讲健康知识');

  typeInto(page, '#phone', '13912345678');
  tap(page, '#skill-law');
  tap(page, '#skill-health');
  tap(page, '#weekday-6');
  tap(page, '#weekday-7');
  tap(page, '#slot-morning');
  tap(page, '#add-station');
  await waitFor('the picker', page, () => exists(page, '#station-picker'));
  const picker = component(page, '#station-picker');
  typeInto(picker, '#picker-query', '凤山');
  tap(picker, '#picker-search');
  await waitFor('凤山村', page, () => exists(picker, '#station-haian-01-001'));
  tap(picker, '#station-haian-01-001');
  await waitFor('the second village', page, () => exists(page, '#served-haian-01-001'));
  await waitFor('the skills on', page, () => exists(page, '#skill-health.wm-volunteer__skill--on'));

  tap(page, '#submit');

  await waitFor('the thanks', page, () => exists(page, '#done-card'));
  expect(registrations()).toEqual([
    {
      action: 'registerVolunteer',
      name,
      phone: '13912345678',
      skills: ['law', 'health'],
      stationIds: ['haian-01-003', 'haian-01-001'],
      availability: { weekdays: [6, 7], slots: ['morning'] },
    },
  ]);
  const me = await callAs<Me>(openid, 'user', { action: 'me' });
  expect(me.volunteer).toMatchObject({
    phone: '13912345678',
    skills: ['law', 'health'],
    stationIds: ['haian-01-003', 'haian-01-001'],
    availability: { weekdays: [6, 7], slots: ['morning'] },
  });
  expect(me.roles).toEqual(
    expect.arrayContaining([
      { role: 'volunteer', orgId: 'haian-01-003' },
      { role: 'volunteer', orgId: 'haian-01-001' },
    ]),
  );
});

test('a villager registers with the phone from WeChat: the code goes to the cloud, not a number', async () => {
  const { openid } = await villagerOf('haian-01-004');
  const page = await openForm(openid);
  const code = await phoneCode('13700001111');

  fire(page, '#phone-wechat', 'getphonenumber', { code, errMsg: 'getPhoneNumber:ok' });
  await waitFor('the phone from WeChat', page, () => exists(page, '#phone-wechat-ok'));
  tap(page, '#skill-technology');
  await waitFor('the skill on', page, () => exists(page, '#skill-technology.wm-volunteer__skill--on'));
  tap(page, '#submit');

  await waitFor('the thanks', page, () => exists(page, '#done-card'));
  expect(registrations()).toEqual([expect.objectContaining({ phoneCode: code, skills: ['technology'] })]);
  expect(registrations()[0]).not.toHaveProperty('phone');
  const me = await callAs<Me>(openid, 'user', { action: 'me' });
  expect(me.volunteer?.phone).toBe('13700001111');
});

test('a phone code used once already is refused in plain words, and the number can then be typed', async () => {
  const first = await villagerOf('haian-01-005');
  const code = await phoneCode('13700002222');
  await callAs<Me>(first.openid, 'user', {
    action: 'registerVolunteer',
    name: first.name,
    phoneCode: code,
    skills: ['arts'],
    stationIds: ['haian-01-005'],
  });

  const { openid } = await villagerOf('haian-01-005');
  const page = await openForm(openid);
  fire(page, '#phone-wechat', 'getphonenumber', { code, errMsg: 'getPhoneNumber:ok' });
  await waitFor('the phone from WeChat', page, () => exists(page, '#phone-wechat-ok'));
  tap(page, '#skill-arts');
  await waitFor('the skill on', page, () => exists(page, '#skill-arts.wm-volunteer__skill--on'));
  tap(page, '#submit');

  await waitFor('the error', page, () => exists(page, '#volunteer-error'));
  expect(textOf(page, '#volunteer-error')).toBe('手机号授权已过期，请再点一次“获取手机号”。');
  expect(exists(page, '#phone-wechat-ok')).toBe(false);
  expect((await callAs<Me>(openid, 'user', { action: 'me' })).volunteer).toBeNull();

  typeInto(page, '#phone', '13700003333');
  tap(page, '#submit');
  await waitFor('the thanks', page, () => exists(page, '#done-card'));
  expect((await callAs<Me>(openid, 'user', { action: 'me' })).volunteer?.phone).toBe('13700003333');
});

test('what is missing is said at the field, the field marked and the page brought to it; nothing is sent', async () => {
  const { openid } = await villagerOf('haian-01-006');
  const page = await openForm(openid);
  // 提交 is in the bar fixed at the bottom of the screen, however long the form is.
  expect(exists(page, '#submit-bar.wm-form__bar #submit')).toBe(true);
  typeInto(page, '#phone', '123');

  tap(page, '#submit');
  await waitFor('the phone error', page, () => exists(page, '#field-phone #field-error'));
  expect(textOf(page, '#field-error')).toBe('请点“用微信手机号”，或者填写 11 位手机号。');
  expect(callsTo('pageScrollTo').at(-1)).toMatchObject({ selector: '#field-phone' });

  typeInto(page, '#phone', '13912345678');
  await waitFor('the mark gone', page, () => !exists(page, '#field-error'));
  tap(page, '#submit');
  await waitFor('the skills error', page, () => exists(page, '#field-skills #field-error'));
  expect(textOf(page, '#field-error')).toBe('请至少选一项您能做的服务。');
  expect(exists(page, '#field-skills.wm-card--invalid')).toBe(true);
  expect(page.querySelectorAll('#field-error')).toHaveLength(1);
  expect(callsTo('pageScrollTo').at(-1)).toMatchObject({ selector: '#field-skills' });
  expect(exists(page, '#volunteer-error')).toBe(false);
  expect(registrations()).toEqual([]);
});

test('the demo volunteer sees their registration filled in, to change it', async () => {
  const page = await openForm('demo-volunteer');

  expect(textOf(page, '.wm-card__title')).toBe('修改志愿者信息');
  expect(textOf(page, '#submit')).toBe('保存');
  await waitFor('their village', page, () => exists(page, '#served-haian-01-001'));
  const on = page.querySelectorAll('.wm-volunteer__skill--on').map((n) => n.dom?.textContent?.slice(0, 4));
  expect(on).toEqual(['✓ 送科', '✓ 送健', '✓ 送爱']);
  expect(page.querySelectorAll('.wm-chip--on').map((n) => n.dom?.textContent)).toEqual([
    '周一',
    '周三',
    '周五',
    '周六',
    '上午',
    '下午',
  ]);
});
