/**
 * 在这里许愿: a practice point's page opens 我要点单 with `?pointId=`; the form comes with that point
 * already chosen as where, the wish is posted at it, and the villager can still choose not to.
 */
import { closeAllPages, exists, launchAs, openPage, tap, textOf, typeInto, waitFor } from './harness';
import {
  demoPoints,
  freshVillager,
  getOrderAs,
  installOrderPhone,
  orderRequests,
  tapIn,
  queryOf,
  waitForNavigation,
} from './order-helpers';

afterEach(() => closeAllPages());

test('the point passed in is chosen; the wish is posted there', async () => {
  const [point] = await demoPoints();
  const villager = await freshVillager();
  launchAs(villager);
  installOrderPhone();
  const page = openPage('packages/order/create/index', { pointId: point.id });
  await waitFor('the point chosen', page, () => page.data.place === 'point');
  expect(textOf(page, '#place-text')).toContain(point.name);
  expect(exists(page, '#pick-point')).toBe(false);

  tapIn(page, '#categories', '#category-charity');
  typeInto(page, '#title', '书屋想要几本新书');
  typeInto(page, '#content', '村里书屋的书都看旧了，想请大家捐几本新书。');
  tap(page, '#submit');
  // Another test's wish at the same point may be open: the page asks first, and the villager posts anyway.
  await waitFor('the answer to 提交', page, () => exists(page, '#similar') || orderRequests('create').length > 0);
  if (exists(page, '#similar')) tap(page, '#submit-anyway');
  const url = await waitForNavigation(page, 'redirectTo');
  expect(orderRequests('create').at(-1)).toMatchObject({ pointId: point.id });
  const order = await getOrderAs(villager, queryOf(url).id);
  expect(order.pointId).toBe(point.id);
});

test('不选了 clears the point passed in, and the other choices come back', async () => {
  const [point] = await demoPoints();
  launchAs(await freshVillager());
  installOrderPhone();
  const page = openPage('packages/order/create/index', { pointId: point.id });
  await waitFor('the point chosen', page, () => page.data.place === 'point');
  tap(page, '#place-clear');
  await waitFor('the choice cleared', page, () => exists(page, '#pick-point') && exists(page, '#use-here'));
  expect(page.data.place).toBe('none');
});
