/**
 * The institute's shared shop (issue 9): the institute admin stocks an item on 积分超市管理, which then
 * manages the institute's shelf; a villager of one of its stations finds the item in 积分超市 beside
 * their station's own goods.
 */
import { closeAllPages, launchAs, openPage, tap, textOf, typeInto, waitFor } from './harness';

const ADMIN = 'demo-institute-admin';
const VILLAGER = 'demo-villager';
const ready = (page: ReturnType<typeof openPage>) => page.data.status === 'ready';

afterEach(() => closeAllPages());

test('the institute admin stocks the shared shelf; a villager of its station sees it in the shop', async () => {
  const name = `所里共享米${Date.now().toString(36).slice(-4)}`;
  launchAs(ADMIN);
  const manage = openPage('packages/integral/manage/index');
  // Slow on a busy machine: the login, then the shelf (the admin test waits as long for its first list).
  await waitFor('the shelf', manage, () => manage.data.status !== 'loading', 30_000);
  expect([manage.data.status, manage.data.error, manage.data.stationId]).toEqual(['ready', '', 'haian-01']);
  expect(textOf(manage, '#shelf-title')).toBe('所里共享货架（各站村民都能兑换）');
  typeInto(manage, '#name', name);
  typeInto(manage, '#points', '15');
  typeInto(manage, '#stock', '3');
  typeInto(manage, '#place', '海安街道文明实践所');
  tap(manage, '#add');
  const item = await waitFor(
    'the new item',
    manage,
    () => (manage.data.items as { id: string; name: string }[]).find((i) => i.name === name),
    30_000,
  );
  expect(textOf(manage, `#stock-${item.id}`)).toBe('库存3');
  closeAllPages();

  launchAs(VILLAGER);
  const shop = openPage('packages/integral/shop/index');
  await waitFor('the goods', shop, () => ready(shop), 30_000);
  const items = shop.data.items as { id: string; name: string }[];
  expect(items.map((i) => i.name)).toContain(name);
  // Beside the village's own goods.
  expect(items.length).toBeGreaterThan(1);
  expect(textOf(shop, `#item-${item.id}`)).toContain('海安街道文明实践所');
});
