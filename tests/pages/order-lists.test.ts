/**
 * The order lists against the demo county: 任务大厅 lists open orders nearest first for a volunteer
 * (and says so when it has no location); 审核派单's tabs switch, 逾期与上报 flags red, and 加载更多
 * appends the next page by path rather than resending the list; 我的心愿 switches between 办理中 and
 * 全部; lists say plainly when they are empty or cannot be loaded.
 */
import { callAs, closeAllPages, component, exists, launchAs, openPage, textOf, waitFor, type SimPage } from './harness';
import {
  demoPoints,
  freshVillager,
  installOrderPhone,
  orderRequests,
  postOrder,
  tapIn,
  waitForNavigation,
  waitForText,
  type PointInfo,
} from './order-helpers';
import { callsTo, device } from './wx-fake';

interface CardView {
  id: string;
  title: string;
  status: string;
  overdue: boolean;
  distance: string;
}

const items = (page: SimPage) => (page.data.items ?? []) as CardView[];
const listed = (page: SimPage) => page.data.listStatus === 'ready';

/** "距您350米" / "距您1.2公里" in metres; "就在附近" (under 50 m) as 0. */
function metres(distance: string): number {
  if (distance === '就在附近') return 0;
  const m = /距您([\d.]+)(米|公里)/.exec(distance);
  if (!m) throw new Error(`not a distance: "${distance}"`);
  return Number(m[1]) * (m[2] === '公里' ? 1000 : 1);
}

/** Taps 加载更多 until `found` holds or the list ends. */
async function loadUntil(page: SimPage, found: () => boolean): Promise<void> {
  while (!found() && page.data.hasMore) {
    const before = items(page).length;
    tapIn(page, '#list-more', '#load-more');
    await waitFor('the next page', page, () => items(page).length > before && !page.data.loadingMore);
  }
}

/** Records the keys of every setData the page makes from now on. */
function spySetData(page: SimPage): string[][] {
  const calls: string[][] = [];
  const instance = page.instance as unknown as { setData(patch: Record<string, unknown>, cb?: () => void): void };
  const original = instance.setData.bind(instance);
  instance.setData = (patch, cb) => {
    calls.push(Object.keys(patch));
    original(patch, cb);
  };
  return calls;
}

let points: PointInfo[];
const point = (name: string) => {
  const p = points.find((x) => x.name.includes(name));
  if (!p) throw new Error(`no ${name} in the demo village`);
  return p;
};

beforeAll(async () => {
  points = await demoPoints();
});

afterEach(() => closeAllPages());

describe('任务大厅', () => {
  test('lists the open orders a volunteer may take, nearest first', async () => {
    // Two technology wishes (张志愿 has that skill): one at 家庭农场, one at 红色驿站 across the village.
    const near = point('家庭农场');
    const far = point('红色驿站');
    const villager = await freshVillager();
    const nearId = await postOrder(villager, { category: 'technology', title: '大棚卷帘机坏了', pointId: near.id });
    const farId = await postOrder(villager, { category: 'technology', title: '想学网上卖土鸡蛋', pointId: far.id });
    for (const id of [nearId, farId])
      await callAs('demo-station-head', 'order', { action: 'review', id, approve: true });

    // 张志愿 stands at 文化礼堂.
    const here = point('文化礼堂');
    launchAs('demo-volunteer');
    installOrderPhone();
    device.location = { latitude: here.lat, longitude: here.lng };
    const page = openPage('packages/order/hall/index');
    await waitFor('the hall', page, () => listed(page));
    await loadUntil(page, () => items(page).some((o) => o.id === farId));

    expect(textOf(page, '#nearest-first')).toBe('离您近的排在前面');
    const ids = items(page).map((o) => o.id);
    expect(ids).toContain(nearId);
    expect(ids).toContain(farId);
    expect(ids.indexOf(nearId)).toBeLessThan(ids.indexOf(farId));
    const distances = items(page).map((o) => metres(o.distance));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(items(page).every((o) => o.status === 'open')).toBe(true);
    expect(textOf(page, '#list')).toContain('大棚卷帘机坏了');
    expect(textOf(page, '#list')).toMatch(/距您\d+米/);
    // The hall was asked from where the volunteer stands.
    expect(orderRequests('hall')[0]).toEqual({ action: 'hall', page: 0, lat: here.lat, lng: here.lng });
  });

  test('without a location it says the list is not by distance, and 再试一次定位 sorts it once allowed', async () => {
    launchAs('demo-volunteer');
    installOrderPhone();
    device.location = null;
    const page = openPage('packages/order/hall/index');
    await waitFor('the hall', page, () => listed(page));

    expect(textOf(page, '#no-location')).toContain('没有拿到您的位置');
    expect(textOf(page, '#location-message')).toBe('没有取到位置。请打开手机的定位（GPS），并允许微信使用位置。');
    expect(orderRequests('hall')[0]).toEqual({ action: 'hall', page: 0 });

    const here = point('文化礼堂');
    device.location = { latitude: here.lat, longitude: here.lng };
    page.querySelector('#locate')?.dispatchEvent('tap');
    await waitFor('the sorted hall', page, () => exists(page, '#nearest-first') && listed(page));
    expect(orderRequests('hall').at(-1)).toMatchObject({ lat: here.lat, lng: here.lng });
  });

  test('when location is not allowed, 去设置 lets the volunteer switch it on and the hall sorts by distance', async () => {
    launchAs('demo-volunteer');
    installOrderPhone();
    const here = point('文化礼堂');
    device.location = { latitude: here.lat, longitude: here.lng };
    device.locationAllowed = false;
    device.allowsLocationInSettings = true;
    const page = openPage('packages/order/hall/index');
    await waitFor('the hall', page, () => listed(page));
    expect(textOf(page, '#location-message')).toContain('您没有允许使用位置');
    expect(exists(page, '#locate')).toBe(false);

    page.querySelector('#settings')?.dispatchEvent('tap');

    await waitFor('the sorted hall', page, () => exists(page, '#nearest-first') && listed(page));
    expect(callsTo('openSetting')).toHaveLength(1);
    expect(orderRequests('hall').at(-1)).toMatchObject({ lat: here.lat, lng: here.lng });
  });

  test('someone who is not a volunteer is told plainly, with 重试', async () => {
    launchAs(await freshVillager());
    installOrderPhone();
    const page = openPage('packages/order/hall/index');
    await waitFor('the error', page, () => page.data.listStatus === 'error');

    expect(textOf(page, '#list-state')).toContain('请先在“我的”里注册志愿者，再来接单。');
    expect(exists(component(page, '#list-state'), '#list-retry')).toBe(true);
  });
});

describe('审核派单', () => {
  test('逾期与上报 lists the orders sent up, the late ones red; 加载更多 appends only the new rows', async () => {
    launchAs('demo-station-head');
    installOrderPhone();
    const page = openPage('packages/order/review/index', { status: 'overdue' });
    await waitFor('the list', page, () => listed(page));

    expect(page.data.tab).toBe('overdue');
    expect(textOf(page, '#tabs')).toBe('待审核待派单逾期与上报');
    const first = [...items(page)];
    expect(first.length).toBeGreaterThan(0);
    // The demo county has one order late at the center: red, and shown as sent up.
    expect(first.some((o) => o.overdue)).toBe(true);
    expect(textOf(page, '#list')).toContain('已逾期');
    expect(textOf(page, '#list')).toMatch(/已上报到实践(所|中心)/);
    expect(orderRequests('list').map((r) => r.level)).toEqual(['center', 'institute']);

    expect(page.data.hasMore).toBe(true);
    const calls = spySetData(page);
    tapIn(page, '#list-more', '#load-more');
    await waitFor('the next page', page, () => items(page).length > first.length && !page.data.loadingMore);

    // The first rows are untouched, and no setData carried the whole list again.
    expect(
      items(page)
        .slice(0, first.length)
        .map((o) => o.id),
    ).toEqual(first.map((o) => o.id));
    const keys = calls.flat();
    expect(keys).not.toContain('items');
    expect(keys).toContain(`items[${first.length}]`);
    expect(
      orderRequests('list')
        .slice(-2)
        .map((r) => r.page),
    ).toEqual([1, 1]);
  });

  test('the tabs switch between 待审核 and 待派单, each with its own list', async () => {
    const villager = await freshVillager();
    const waiting = await postOrder(villager, {
      category: 'customs',
      title: '红白喜事想简办',
      location: { lat: 32.6213, lng: 120.5612 },
    });
    launchAs('demo-station-head');
    installOrderPhone();
    const page = openPage('packages/order/review/index');
    await waitFor('the list to review', page, () => listed(page));
    await loadUntil(page, () => items(page).some((o) => o.id === waiting));
    expect(items(page).every((o) => o.status === 'submitted')).toBe(true);
    expect(exists(page, `#approve-${waiting}`)).toBe(true);
    // Right above 通过/不通过: what was asked and who asked it.
    const { name } = await callAs<{ name: string }>(villager, 'user', { action: 'me' });
    expect(textOf(page, `#card-${waiting}`)).toContain('家里要搬一个旧柜子下楼，一个人搬不动。');
    expect(textOf(page, `#card-${waiting}`)).toContain(`提出人：${name}`);

    tapIn(page, '#tabs', '#tab-dispatch');
    await waitFor('the list to dispatch', page, () => page.data.tab === 'dispatch' && listed(page));
    expect(items(page).length).toBeGreaterThan(0);
    expect(items(page).every((o) => o.status === 'open')).toBe(true);
    const first = items(page)[0].id;
    page.querySelector(`#dispatch-${first}`)?.dispatchEvent('tap');
    expect(await waitForNavigation(page, 'navigateTo')).toBe(`/packages/order/dispatch/index?id=${first}`);
    expect(orderRequests('list').at(-1)).toEqual({ action: 'list', scope: 'area', status: ['open'], page: 0 });
  });
});

describe('我的心愿', () => {
  test('办理中 and 全部 list the villager’s own wishes; tapping one opens it; a new villager is told how to start', async () => {
    const villager = await freshVillager();
    const place = { lat: 32.615, lng: 120.565 };
    const kept = await postOrder(villager, { category: 'education', title: '孩子暑假想学书法', location: place });
    const dropped = await postOrder(villager, { category: 'arts', title: '想借几件演出服', location: place });
    await callAs(villager, 'order', { action: 'cancel', id: dropped });

    launchAs(villager);
    installOrderPhone();
    const page = openPage('packages/order/mine/index');
    await waitFor('the active wishes', page, () => listed(page));
    expect(items(page).map((o) => [o.id, o.status])).toEqual([[kept, 'submitted']]);
    expect(textOf(page, '#list')).toContain('孩子暑假想学书法');
    expect(textOf(page, '#list')).toContain('待审核');

    tapIn(page, '#tabs', '#tab-all');
    await waitFor('all wishes', page, () => page.data.tab === 'all' && listed(page));
    expect(items(page).map((o) => [o.id, o.status])).toEqual([
      [dropped, 'cancelled'],
      [kept, 'submitted'],
    ]);
    expect(textOf(page, '#list')).toContain('已取消');
    expect(textOf(page, '#list-more')).toBe('已经到底了');

    component(page, `#card-${kept}`).querySelector('.wm-order-card')?.dispatchEvent('tap');
    expect(await waitForNavigation(page, 'navigateTo')).toBe(`/packages/order/detail/index?id=${kept}`);
    closeAllPages();

    launchAs(await freshVillager());
    installOrderPhone();
    const empty = openPage('packages/order/mine/index');
    await waitFor('the empty list', empty, () => listed(empty));
    await waitForText(empty, '#list-state', '您现在没有正在办的需求');
    empty.querySelector('#create')?.dispatchEvent('tap');
    expect(await waitForNavigation(empty, 'navigateTo')).toBe('/packages/order/create/index');
  });
});

describe('我的任务', () => {
  test('a task waiting for the volunteer reads 待您接单 with 接单 on the card, which takes it there', async () => {
    const villager = await freshVillager();
    const id = await postOrder(villager, { category: 'charity', title: '帮忙把米扛上楼' });
    await callAs('demo-station-head', 'order', { action: 'review', id, approve: true });
    await callAs('demo-station-head', 'order', { action: 'dispatch', id, volunteer: 'demo-volunteer' });
    launchAs('demo-volunteer');
    installOrderPhone();
    const page = openPage('packages/order/tasks/index');
    await waitFor('the list', page, () => listed(page));
    await loadUntil(page, () => items(page).some((o) => o.id === id));

    expect(textOf(page, `#card-${id}`)).toContain('待您接单');
    tapIn(page, `#card-${id}`, `#accept-${id}`);

    await waitFor('the task taken', page, () => textOf(page, `#card-${id}`)?.includes('服务中'));
    expect(component(page, `#card-${id}`).querySelector(`#accept-${id}`)).toBeUndefined();
    expect(orderRequests('accept')).toEqual([{ action: 'accept', id }]);
    // 接单 took it where it was: the card did not open the detail as well.
    expect(callsTo('navigateTo')).toHaveLength(0);
  });
});
