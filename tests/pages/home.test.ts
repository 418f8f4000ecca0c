/**
 * 首页 against the real local cloud with the demo county: each of the five demo identities sees the
 * sections of their own role and none of the others'; a new villager sees one first step, binding;
 * entries to features still being built say so plainly; when the cloud cannot be reached the villager
 * sees a plain message and 重试, which works once it is back.
 */
import net from 'node:net';
import type { OrderCounts } from '../../typings/api';
import {
  callAs,
  CLOUD_URL,
  closeAllPages,
  exists,
  launchAs,
  miniprogram,
  openPage,
  postJson,
  tap,
  textOf,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import { callsTo, requests, routeOf, routes, wxCalls } from './wx-fake';

const { setLocalCloudUrl } = miniprogram.config;

const SECTIONS = ['#section-villager', '#section-volunteer', '#section-station', '#section-admin'] as const;
type Section = (typeof SECTIONS)[number];

const shown = (page: SimPage) => exists(page, '#greeting') && !exists(page, '#loading');
const sectionsOn = (page: SimPage) => SECTIONS.filter((s) => exists(page, s));

/** Calls to the user function that reached the gateway as `openid`. */
const userCallsBy = (openid: string, action: string) =>
  requests.filter(
    (r) =>
      r.url === `${CLOUD_URL}/fn/user` &&
      r.header['x-wx-openid'] === openid &&
      (r.data as { action?: string }).action === action,
  );

/** A port nothing listens on: bind it, then let it go. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Gives `openid` a role straight in the database, as if someone had appointed them a moment ago. */
async function giveRole(openid: string, role: string, orgId: string, path: string[]): Promise<void> {
  const { json } = await postJson(`${CLOUD_URL}/admin`, {
    action: 'database.modifyDocument',
    collectionName: 'users',
    query: JSON.stringify({ _id: openid }),
    data: JSON.stringify({ $set: { roles: [{ role, orgId, path }], areas: path } }),
    multi: false,
  });
  const answer = json as { data?: { updated?: number } };
  if (answer.data?.updated !== 1) throw new Error(`could not give ${role} to ${openid}: ${JSON.stringify(answer)}`);
}

async function openHomeAs(openid: string): Promise<SimPage> {
  launchAs(openid);
  const page = openPage('pages/home/index');
  await waitFor('the home page', page, () => shown(page));
  return page;
}

afterEach(() => closeAllPages());

describe('a new villager', () => {
  test('is greeted and shown one first step: bind to their village', async () => {
    const openid = uniqueOpenid();
    const page = await openHomeAs(openid);

    expect(textOf(page, '#greeting')).toBe('您好！');
    expect(textOf(page, '#welcome')).toBe('欢迎加入文明实践云。');
    expect(textOf(page, '#first-step')).toContain('绑定您所在的村（社区）');
    expect(sectionsOn(page)).toEqual([]);
    expect(exists(page, '#roles')).toBe(false);
    expect(userCallsBy(openid, 'login')).toHaveLength(1);
    expect(userCallsBy(openid, 'me')).toHaveLength(1);

    tap(page, '#bind-first');

    await waitFor('the binding page to open', page, () => callsTo('navigateTo').length === 1);
    expect(callsTo('navigateTo')[0].url).toBe('/packages/profile/bind/index');
    expect(callsTo('showToast')).toEqual([]);
  });

  test('刷新 after being made a volunteer shows the volunteer section', async () => {
    const openid = uniqueOpenid();
    const page = await openHomeAs(openid);
    await giveRole(openid, 'volunteer', 'haian-01-002', ['haian', 'haian-01', 'haian-01-002']);

    tap(page, '#refresh');

    await waitFor('the volunteer section', page, () => exists(page, '#section-volunteer'));
    expect(textOf(page, '#roles')).toBe('志愿者');
    expect(exists(page, '#first-step')).toBe(false);
    // A volunteer not yet bound to a village is offered binding, quietly.
    expect(exists(page, '#bind-hint')).toBe(true);
  });
});

describe('the five demo identities each see their own sections', () => {
  const cases: [string, string, Section[], string[]][] = [
    ['demo-villager', '赵桂英', ['#section-villager'], ['order-create', 'order-mine', 'integral', 'messages']],
    [
      'demo-volunteer',
      '张志愿',
      ['#section-volunteer'],
      ['order-hall', 'order-tasks', 'messages', 'activity-scan', 'activity-list', 'activity-hours'],
    ],
    [
      'demo-station-head',
      '李站长',
      ['#section-station'],
      [
        'volunteer-review',
        'order-review',
        'order-dispatch',
        'order-overdue',
        'station-stats',
        'station-league',
        'station-people',
        'integral-review',
        'integral-notices',
        'integral-shop',
        'activity-manage',
      ],
    ],
    [
      'demo-institute-admin',
      '王所长',
      ['#section-admin'],
      ['admin-stats', 'admin-league', 'admin-orders', 'admin-people', 'admin-integral', 'admin-appoint'],
    ],
    [
      'demo-center-admin',
      '陈主任',
      ['#section-admin'],
      ['admin-stats', 'admin-league', 'admin-orders', 'admin-people', 'admin-integral', 'admin-appoint'],
    ],
  ];

  test('the identities tested here are the ones the demo county has', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(miniprogram.identity.DEMO_IDENTITIES.map((i) => i.openid).sort());
  });

  test.each(cases)('%s (%s)', async (openid, name, sections, entries) => {
    const page = await openHomeAs(openid);

    expect(textOf(page, '#greeting')).toBe(`${name}，您好！`);
    expect(sectionsOn(page)).toEqual(sections);
    expect(page.querySelectorAll('.wm-home__entry').length).toBe(entries.length);
    for (const entry of entries) expect(exists(page, `#entry-${entry}`)).toBe(true);
    expect(exists(page, '#first-step')).toBe(false);
  });

  test('the villager sees their village with its town', async () => {
    const page = await openHomeAs('demo-villager');
    expect(textOf(page, '#village')).toBe('我的村（社区）：凤山村（海安街道）');
    expect(textOf(page, '#roles')).toBe('群众');
  });

  test('the station head sees the station they run', async () => {
    const page = await openHomeAs('demo-station-head');
    await waitFor('the station name', page, () => exists(page, '#station-names'));
    expect(textOf(page, '#station-names')).toBe('凤山村');
  });

  test("the center admin sees the whole county's numbers", async () => {
    const page = await openHomeAs('demo-center-admin');
    const count = (what: string) => textOf(page, `#count-centerAdmin-haian-${what}`);

    await waitFor('the numbers', page, () => count('points'));

    expect(textOf(page, '#admin-centerAdmin-haian .wm-card__title')).toBe('中心管理员 · 海安市新时代文明实践中心');
    expect(count('institutes')).toBe('17 个实践所');
    expect(count('stations')).toBe('231 个实践站');
    expect(Number(/^(\d+) 个/.exec(count('points') ?? '')?.[1])).toBeGreaterThanOrEqual(5000);
    // Real counts, not one page of a list.
    const { total } = await callAs<{ total: number }>('demo-center-admin', 'user', { action: 'listPeople' });
    expect(total).toBeGreaterThan(20);
    expect(count('people')).toBe(`${total} 人登记的人员`);
    // The numbers that call for action, red when there is something to do.
    const orders = await callAs<OrderCounts>('demo-center-admin', 'order', { action: 'counts' });
    expect(count('submitted')).toBe(`${orders.submitted} 单待审核`);
    expect(count('open')).toBe(`${orders.open} 单待派单`);
    expect(count('overdue')).toBe(`${orders.overdue} 单逾期`);
    expect(count('red')).toBe(`${orders.red} 单亮红灯（县里也超时）`);
    expect(orders.overdue).toBeGreaterThan(0);
    expect(exists(page, '#count-centerAdmin-haian-overdue .wm-home__count-value--alert')).toBe(true);
    await waitFor('the badge', page, () => exists(page, '#badge-admin-orders'));
    expect(textOf(page, '#badge-admin-orders')).toBe(String(orders.submitted + orders.open + orders.overdue));
  });

  test('the station head sees how many wait behind 待审核, 待派单 and 逾期', async () => {
    const page = await openHomeAs('demo-station-head');
    const orders = await callAs<OrderCounts>('demo-station-head', 'order', { action: 'counts' });
    // The order badges (the 志愿者审核 one comes on its own).
    await waitFor(
      'the badges',
      page,
      () => (page.data.badges as Record<string, number> | undefined)?.['order-review'] !== undefined,
    );
    const badge = (id: string) => textOf(page, `#badge-${id}`);
    const shown = (n: number) => (n > 0 ? String(n) : undefined);
    expect(badge('order-review')).toBe(shown(orders.submitted));
    expect(badge('order-dispatch')).toBe(shown(orders.open));
    expect(badge('order-overdue')).toBe(shown(orders.overdue));
    expect(orders.submitted + orders.open + orders.overdue).toBeGreaterThan(0);
  });

  test("the institute admin sees their town's numbers, and no institutes line", async () => {
    const page = await openHomeAs('demo-institute-admin');
    const count = (what: string) => textOf(page, `#count-instituteAdmin-haian-01-${what}`);

    await waitFor('the numbers', page, () => count('points'));

    expect(textOf(page, '#admin-instituteAdmin-haian-01 .wm-card__title')).toBe('所长 · 海安街道新时代文明实践所');
    expect(count('institutes')).toBeUndefined();
    expect(count('stations')).toBe('28 个实践站');
    const { total } = await callAs<{ total: number }>('demo-institute-admin', 'user', { action: 'listPeople' });
    expect(count('people')).toBe(`${total} 人登记的人员`);
  });
});

describe('entries', () => {
  const NOT_READY = '这项功能正在建设中，很快就能用';

  test.each([
    ['demo-villager', 'order-create', '/packages/order/create/index'],
    ['demo-villager', 'order-mine', '/packages/order/mine/index'],
    ['demo-villager', 'messages', '/packages/order/messages/index'],
    ['demo-volunteer', 'order-hall', '/packages/order/hall/index'],
    ['demo-volunteer', 'order-tasks', '/packages/order/tasks/index'],
    ['demo-volunteer', 'messages', '/packages/order/messages/index'],
    ['demo-station-head', 'order-review', '/packages/order/review/index?status=submitted'],
    ['demo-station-head', 'order-dispatch', '/packages/order/review/index?status=open'],
    ['demo-station-head', 'order-overdue', '/packages/order/review/index?status=overdue'],
    ['demo-station-head', 'station-people', '/packages/admin/people/index'],
    ['demo-station-head', 'activity-manage', '/packages/activity/manage/index'],
    ['demo-volunteer', 'activity-scan', '/packages/activity/scan/index'],
    ['demo-volunteer', 'activity-hours', '/packages/activity/hours/index'],
    ['demo-villager', 'integral', '/packages/integral/home/index'],
    ['demo-station-head', 'integral-review', '/packages/integral/review/index'],
    ['demo-station-head', 'integral-notices', '/packages/integral/notices/index?manage=1'],
    ['demo-station-head', 'integral-shop', '/packages/integral/manage/index'],
    ['demo-institute-admin', 'admin-people', '/packages/admin/people/index'],
    ['demo-institute-admin', 'admin-appoint', '/packages/admin/appoint/index'],
    ['demo-institute-admin', 'admin-orders', '/packages/order/review/index'],
    ['demo-institute-admin', 'admin-integral', '/packages/integral/review/index?scope=second'],
  ])('%s: %s opens %s, or says plainly that it is not built yet', async (openid, entry, url) => {
    const built = routes().pages.has(routeOf(url));
    const page = await openHomeAs(openid);

    tap(page, `#entry-${entry}`);

    await waitFor('the navigation to settle', page, () => wxCalls.some((c) => c.api === 'navigateTo'));
    await new Promise((r) => setTimeout(r, 30));
    expect(callsTo('navigateTo').map((o) => o.url)).toEqual([url]);
    expect(callsTo('showToast')).toEqual(built ? [] : [expect.objectContaining({ title: NOT_READY, icon: 'none' })]);
  });

  test('a page that is not in app.json is reported plainly, not silently', async () => {
    const page = await openHomeAs('demo-villager');
    const { openPage: open } = jest.requireActual<{ openPage(url: string): Promise<boolean> }>(
      '../../miniprogram/services/navigate',
    );

    expect(await open('/packages/nowhere/index')).toBe(false);

    expect(callsTo('showToast')).toEqual([expect.objectContaining({ title: NOT_READY, icon: 'none' })]);
    expect(exists(page, '#greeting')).toBe(true);
  });
});

describe('when the cloud cannot be reached', () => {
  test('the villager sees a plain message and 重试, which works once it is back', async () => {
    const openid = uniqueOpenid();
    launchAs(openid);
    setLocalCloudUrl(`http://127.0.0.1:${await closedPort()}`);
    // launchAs started the login against the test cloud: launch again against the closed port.
    const page = openPage('pages/home/index');

    await waitFor('the error', page, () => exists(page, '#error'));
    expect(textOf(page, '#error-message')).toBe('网络连接不上，请检查网络后再试。');
    expect(textOf(page, '#retry')).toBe('重试');
    expect(exists(page, '#greeting')).toBe(false);

    setLocalCloudUrl(CLOUD_URL);
    tap(page, '#retry');

    await waitFor('the profile after 重试', page, () => shown(page));
    expect(exists(page, '#first-step')).toBe(true);
    expect(exists(page, '#error')).toBe(false);
  });

  test('when 刷新 fails, 重试 fetches the profile again rather than showing the old one', async () => {
    const openid = uniqueOpenid();
    const page = await openHomeAs(openid);

    setLocalCloudUrl(`http://127.0.0.1:${await closedPort()}`);
    tap(page, '#refresh');
    await waitFor('the error after 刷新', page, () => exists(page, '#retry'));

    setLocalCloudUrl(CLOUD_URL);
    tap(page, '#retry');

    await waitFor('the profile again', page, () => shown(page));
    expect(userCallsBy(openid, 'me')).toHaveLength(2);
    expect(textOf(page, '#welcome')).toBe('欢迎加入文明实践云。');
  });
});
