/**
 * 我要点单 against the real order function: what is missing is said before anything is sent; a text
 * the content check rejects shows its plain message and creates nothing, and the corrected form goes
 * through as one order with the same request id; the daily limit is said plainly; a second wish of the
 * same kind close to an open one shows it and asks 仍然提交？ before posting.
 */
import { ERROR_MESSAGES } from '../../typings/errors';
import type { OrderSummary } from '../../typings/api';
import {
  callAs,
  closeAllPages,
  exists,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import {
  freshVillager,
  installOrderPhone,
  orderRequests,
  phone,
  postOrder,
  queryOf,
  tapIn,
  waitForNavigation,
  waitForText,
} from './order-helpers';
import { callsTo, device } from './wx-fake';

/** Away from the demo village (some 14 km, inside the 20 km an order may lie from it): no demo order lies near these spots. */
const FAR = { lat: 32.62, lng: 120.56 };
const spot = (dLat: number) => ({ latitude: FAR.lat + dLat, longitude: FAR.lng });

const mine = (openid: string) =>
  callAs<{ orders: OrderSummary[] }>(openid, 'order', { action: 'list', scope: 'mine' }).then((r) => r.orders);

async function openCreate(openid: string): Promise<SimPage> {
  launchAs(openid);
  installOrderPhone();
  const page = openPage('packages/order/create/index');
  await waitFor('the form', page, () => exists(page, '#submit'));
  return page;
}

afterEach(() => closeAllPages());

test('someone not bound to a village is told first, with 去绑定', async () => {
  const page = await openCreate(uniqueOpenid('unbound'));
  await waitForText(page, '#unbound', '您还没有绑定村（社区）');

  tap(page, '#bind');

  expect(await waitForNavigation(page, 'navigateTo')).toBe('/packages/profile/bind/index');
});

test('what is missing is said in plain words at the field, the page brought to it, before anything is sent', async () => {
  const page = await openCreate(await freshVillager());
  /** The error shows inside the field's card, that card is marked, and the page scrolled to it. */
  const saidAt = async (field: string, text: string) => {
    await waitForText(page, `#field-${field} #field-error`, text);
    expect(page.querySelectorAll('#field-error')).toHaveLength(1);
    expect(callsTo('pageScrollTo').at(-1)).toMatchObject({ selector: `#field-${field}` });
    expect(exists(page, '#form-error')).toBe(false);
  };

  tap(page, '#submit');
  await saidAt('category', '请选一个服务类别。');
  expect(exists(page, '#field-category.wm-card--invalid')).toBe(true);

  tapIn(page, '#categories', '#category-law');
  await waitFor('the category error gone', page, () => !exists(page, '#field-error'));
  typeInto(page, '#title', '修灯');
  tap(page, '#submit');
  await saidAt('title', '请写一个标题，至少4个字。');

  typeInto(page, '#title', '邻居占了我家的地');
  typeInto(page, '#content', '想问问');
  tap(page, '#submit');
  await waitFor('the content error', page, () => callsTo('pageScrollTo').at(-1)?.selector === '#field-content');
  expect(textOf(page, '#field-error')).toBe('请说说具体要办什么，至少5个字。');

  typeInto(page, '#content', '邻居盖房子占了我家半米宅基地，想问问该怎么办。');
  typeInto(page, '#phone', '12345');
  tap(page, '#submit');
  await saidAt('phone', '电话号码不对，请填11位手机号或带区号的座机号。');

  expect(orderRequests('similar')).toHaveLength(0);
  expect(orderRequests('create')).toHaveLength(0);
  expect(phone.subscribeCalls).toHaveLength(0);
});

test('a text the content check rejects shows its plain message and creates nothing; corrected, it posts once', async () => {
  const villager = await freshVillager();
  const page = await openCreate(villager);
  tapIn(page, '#categories', '#category-arts');
  typeInto(page, '#title', '村里办一场文艺晚会');
  typeInto(page, '#content', '过年想办一场晚会，晚会后再组织大家赌博热闹热闹。');
  // Away from the demo county's own wishes, so no similar one comes first.
  device.location = spot(0.02);
  tap(page, '#use-here');
  await waitForText(page, '#place-text', '用我现在的位置');

  tap(page, '#submit');

  await waitForText(page, '#form-error', ERROR_MESSAGES.CONTENT_REJECTED);
  expect(textOf(page, '#form-error')).toBe('内容里有不适合发布的文字，请修改后再提交。');
  expect(callsTo('redirectTo')).toHaveLength(0);
  expect(await mine(villager)).toEqual([]);
  // The form is kept for correcting, and can be sent again.
  expect(textOf(page, '#submit')).toBe('提交');

  typeInto(page, '#content', '过年想办一场晚会，请文化站的老师来教大家排节目。');
  tap(page, '#submit');
  const url = await waitForNavigation(page, 'redirectTo');

  const orders = await mine(villager);
  expect(orders.map((o) => [o.id, o.title, o.status])).toEqual([[queryOf(url).id, '村里办一场文艺晚会', 'submitted']]);
  // One form, one request id: the rejected attempt and the accepted one are the same post.
  const ids = orderRequests('create').map((r) => r.requestId);
  expect(ids).toHaveLength(2);
  expect(ids[1]).toBe(ids[0]);
});

test('over the daily limit the villager is told plainly, and nothing more is posted', async () => {
  const villager = await freshVillager();
  for (let i = 0; i < 3; i += 1) {
    await postOrder(villager, { category: 'theory', location: { lat: FAR.lat - 0.02, lng: FAR.lng + 0.01 * i } });
  }
  const page = await openCreate(villager);
  device.location = spot(-0.05);
  tapIn(page, '#categories', '#category-theory');
  typeInto(page, '#title', '想听听红色故事');
  typeInto(page, '#content', '村里老人想听听当年的红色故事，请宣讲员来讲一讲。');
  tap(page, '#use-here');
  await waitForText(page, '#place-text', '用我现在的位置');

  tap(page, '#submit');

  await waitForText(page, '#form-error', '每人每天最多发布3个需求，明天再来吧。');
  expect(callsTo('redirectTo')).toHaveLength(0);
  expect(await mine(villager)).toHaveLength(3);
});

test('a second wish of the same kind close by shows the open one and asks 仍然提交？ before posting', async () => {
  const first = await freshVillager('first');
  const firstId = await postOrder(first, {
    category: 'arts',
    title: '想请人教大家跳广场舞',
    content: '村里大妈们想学广场舞，缺个会教的老师。',
    location: { lat: spot(0).latitude, lng: spot(0).longitude },
  });

  const page = await openCreate(await freshVillager('second'));
  device.location = spot(0.0008); // about 90 m north
  tapIn(page, '#categories', '#category-arts');
  typeInto(page, '#title', '想学跳广场舞');
  typeInto(page, '#content', '晚上想跟着大家跳跳广场舞，没有人教。');
  tap(page, '#use-here');
  await waitForText(page, '#place-text', '用我现在的位置');

  tap(page, '#submit');

  await waitFor('the similar orders', page, () => exists(page, '#similar'));
  const shown = textOf(page, '#similar') ?? '';
  expect(shown).toContain('附近已经有人提了差不多的需求');
  expect(shown).toContain('想请人教大家跳广场舞');
  expect(shown).toContain('待审核');
  expect(shown).toMatch(/离这里\d+米/);
  expect(shown).toContain('仍然提交？');
  expect(orderRequests('similar')).toEqual([
    { action: 'similar', category: 'arts', location: { lat: spot(0.0008).latitude, lng: spot(0.0008).longitude } },
  ]);
  expect(orderRequests('create')).toHaveLength(0);

  // 不提交了 posts nothing; asking again shows the same warning.
  tap(page, '#not-submit');
  await waitFor('the form again', page, () => !exists(page, '#similar') && exists(page, '#submit'));
  expect(orderRequests('create')).toHaveLength(0);
  tap(page, '#submit');
  await waitFor('the similar orders again', page, () => exists(page, '#similar'));

  tap(page, '#submit-anyway');
  const url = await waitForNavigation(page, 'redirectTo');

  expect(orderRequests('create')).toEqual([
    expect.objectContaining({ category: 'arts', title: '想学跳广场舞', acknowledgeSimilar: true }),
  ]);
  expect(queryOf(url).id).not.toBe(firstId);
  // The prompt for progress messages was asked once for the form, in the first tap on 提交.
  expect(phone.subscribeCalls).toHaveLength(1);
});
