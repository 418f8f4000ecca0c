/**
 * 任务大厅's filters: a volunteer picks one of their services and how far (1/3/5 公里, 不限远近); the hall
 * asks the function with them and lists only what fits, says so plainly when nothing does, and the
 * choice is there again on the next visit.
 */
import { callAs, closeAllPages, exists, launchAs, openPage, tap, textOf, waitFor, type SimPage } from './harness';
import {
  demoPoints,
  freshVillager,
  installOrderPhone,
  orderRequests,
  postOrder,
  type PointInfo,
} from './order-helpers';
import { device } from './wx-fake';

interface CardView {
  id: string;
  category: string;
  distance: string;
}

const items = (page: SimPage) => (page.data.items ?? []) as CardView[];
const listed = (page: SimPage) => page.data.listStatus === 'ready' && !page.data.loadingMore;

afterEach(() => closeAllPages());

async function loadAll(page: SimPage): Promise<void> {
  while (page.data.hasMore) {
    const before = items(page).length;
    page.querySelector('#list-more')?.querySelector('#load-more')?.dispatchEvent('tap');
    await waitFor('the next page', page, () => items(page).length > before && listed(page));
  }
}

test('by service and distance, kept for the next visit', async () => {
  const points: PointInfo[] = await demoPoints();
  const here = points.find((p) => p.name.includes('文化礼堂')) ?? points[0];
  const villager = await freshVillager();
  const id = await postOrder(villager, { category: 'technology', title: '想学用手机看病', pointId: here.id });
  await callAs('demo-station-head', 'order', { action: 'review', id, approve: true });

  launchAs('demo-volunteer');
  installOrderPhone();
  device.location = { latitude: here.lat, longitude: here.lng };
  let page = openPage('packages/order/hall/index');
  await waitFor('the hall', page, () => listed(page));
  // 全部服务 and 张志愿's own services (送科技, 送健康, 送爱心), then the four distances.
  const chips = page.querySelectorAll('#filter-category .wm-chip').map((n) => n.dom?.textContent?.trim());
  expect(chips[0]).toBe('全部服务');
  expect([...chips.slice(1)].sort()).toEqual(['送健康', '送爱心', '送科技'].sort());
  expect(textOf(page, '#filter-distance')).toBe('1公里内3公里内5公里内不限远近');
  expect(exists(page, '#cat-all.wm-chip--on')).toBe(true);
  expect(exists(page, '#dist-all.wm-chip--on')).toBe(true);

  tap(page, '#cat-technology');
  await waitFor('the services filtered', page, () => exists(page, '#cat-technology.wm-chip--on') && listed(page));
  tap(page, '#dist-1000');
  await waitFor('the distance filtered', page, () => exists(page, '#dist-1000.wm-chip--on') && listed(page));
  await waitFor('the list for both', page, () => orderRequests('hall').at(-1)?.withinM === 1000 && listed(page));
  await loadAll(page);
  expect(orderRequests('hall').at(-1)).toMatchObject({ category: 'technology', withinM: 1000, lat: here.lat });
  expect(items(page).map((o) => o.id)).toContain(id);
  expect(items(page).every((o) => o.category === '送科技')).toBe(true);

  // Next visit: the same choice, asked for at once.
  closeAllPages();
  page = openPage('packages/order/hall/index');
  await waitFor('the hall again', page, () => listed(page));
  expect(exists(page, '#cat-technology.wm-chip--on')).toBe(true);
  expect(exists(page, '#dist-1000.wm-chip--on')).toBe(true);
  expect(orderRequests('hall').at(-1)).toMatchObject({ page: 0, category: 'technology', withinM: 1000 });

  tap(page, '#dist-all');
  await waitFor('all distances', page, () => exists(page, '#dist-all.wm-chip--on') && listed(page));
  expect(orderRequests('hall').at(-1)).not.toHaveProperty('withinM');
});
