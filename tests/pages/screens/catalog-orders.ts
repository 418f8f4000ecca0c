/**
 * The order screens: posting a wish (empty, with an error), the lists each role works from, and an
 * order's detail in each status as the requester, the volunteer and the station head see it.
 */
import { callAs, exists, launchAs, openPage, tap, uniqueOpenid, waitFor } from '../harness';
import { demoPoints, freshVillager, installOrderPhone, tapIn } from '../order-helpers';
import { device } from '../wx-fake';
import { settle, stationLocation, typeIn, type Screen } from './catalog';

type Summary = { id: string; status: string };
const list = (openid: string, scope: string, status?: string) =>
  callAs<{ orders: Summary[] }>(openid, 'order', { action: 'list', scope, ...(status ? { status } : {}) }).then(
    (r) => r.orders,
  );
const order = <T = Record<string, unknown>>(openid: string, action: string, req: Record<string, unknown> = {}) =>
  callAs<T>(openid, 'order', { action, ...req });
let seq = 0;
const requestId = () => `screens-${process.pid}-${Date.now().toString(36)}-${++seq}`;

const CREATE = 'packages/order/create/index';
const DETAIL = 'packages/order/detail/index';

function listScreen(
  name: string,
  openid: string,
  route: string,
  query: Record<string, string> = {},
  smoke = false,
): Screen {
  return {
    name,
    smoke,
    async run(shoot) {
      const here = await stationLocation();
      launchAs(openid);
      installOrderPhone();
      device.location = { latitude: here.lat, longitude: here.lng };
      const page = openPage(route, query);
      await waitFor('list', page, () => page.data.listStatus === 'ready');
      await settle();
      shoot(name, route, page);
    },
  };
}

/**
 * A fresh wish of a new villager of the demo village taken to `until`, so each status is drawn whatever
 * the seed left (and no one runs into the three-wishes-a-day limit).
 */
async function wishAt(
  until: 'submitted' | 'open' | 'dispatched' | 'accepted' | 'fulfilled',
): Promise<{ id: string; requester: string }> {
  const points = await demoPoints();
  const requester = await freshVillager('scr');
  const { id } = await order<{ id: string }>(requester, 'create', {
    kind: 'wish',
    category: 'charity',
    title: '帮忙搬过冬的煤球',
    content: '隔壁王奶奶一个人住，过冬的煤球堆在院门口，想请志愿者帮忙搬进屋。',
    requestId: requestId(),
    acknowledgeSimilar: true,
    ...(points[0] ? { pointId: points[0].id } : {}),
  });
  const steps: [string, string, string, Record<string, unknown>][] = [
    ['open', 'demo-station-head', 'review', { approve: true }],
    ['dispatched', 'demo-station-head', 'dispatch', { volunteer: 'demo-volunteer' }],
    ['accepted', 'demo-volunteer', 'accept', {}],
    ['fulfilled', 'demo-volunteer', 'fulfil', { note: '煤球都搬进屋了，码在灶台边。' }],
  ];
  for (const [status, who, action, req] of steps) {
    if (until === 'submitted') break;
    await order(who, action, { id, ...req });
    if (status === until) break;
  }
  return { id, requester };
}

const detailScreens: Screen[] = (['submitted', 'open', 'dispatched', 'accepted', 'fulfilled'] as const).map(
  (status) => ({
    name: `detail-${status}`,
    smoke: status === 'accepted',
    async run(shoot) {
      const { id, requester } = await wishAt(status);
      const viewers: [string, string][] = [
        ['villager', requester],
        ['volunteer', 'demo-volunteer'],
        ['station-head', 'demo-station-head'],
      ];
      for (const [short, openid] of viewers) {
        if (short === 'volunteer' && (status === 'submitted' || status === 'open')) continue;
        launchAs(openid);
        installOrderPhone();
        const page = openPage(DETAIL, { id });
        await waitFor('order', page, () => exists(page, '#summary') || exists(page, '#error'));
        await settle();
        shoot(`detail-${status}-${short}`, DETAIL, page);
      }
    },
  }),
);

export const ORDER_SCREENS: Screen[] = [
  {
    name: 'create',
    smoke: true,
    async run(shoot) {
      const here = await stationLocation();
      launchAs('demo-villager');
      installOrderPhone();
      device.location = { latitude: here.lat, longitude: here.lng };
      const page = openPage(CREATE);
      await waitFor('form', page, () => exists(page, '#submit'));
      await settle();
      shoot('create', CREATE, page);
      tap(page, '#submit');
      await waitFor('error', page, () => exists(page, '#field-error'));
      await settle(100);
      shoot('create-error', CREATE, page);
      tapIn(page, '#categories', '#category-health');
      typeIn(page, '#title', '想请人上门量血压');
      typeIn(page, '#content', '老伴腿脚不便，想请志愿者这周上门帮忙量一量血压。');
      await settle(100);
      shoot('create-filled', CREATE, page);
    },
  },
  {
    name: 'create-unbound',
    async run(shoot) {
      launchAs(uniqueOpenid('unbound'));
      installOrderPhone();
      const page = openPage(CREATE);
      await waitFor('unbound', page, () => exists(page, '#unbound'));
      shoot('create-unbound', CREATE, page);
    },
  },
  listScreen('mine', 'demo-villager', 'packages/order/mine/index', {}, true),
  listScreen('hall', 'demo-volunteer', 'packages/order/hall/index', {}, true),
  listScreen('tasks', 'demo-volunteer', 'packages/order/tasks/index'),
  listScreen('review', 'demo-station-head', 'packages/order/review/index', { status: 'submitted' }, true),
  listScreen('review-open', 'demo-station-head', 'packages/order/review/index', { status: 'open' }),
  listScreen('review-overdue', 'demo-station-head', 'packages/order/review/index', { status: 'overdue' }, true),
  listScreen('messages-villager', 'demo-villager', 'packages/order/messages/index'),
  ...detailScreens,
  {
    name: 'detail-forbidden',
    async run(shoot) {
      const mine = new Set((await list('demo-villager', 'mine')).map((o) => o.id));
      const other = (await list('demo-station-head', 'area')).find((o) => !mine.has(o.id));
      if (!other) throw new Error('no order of someone else in the demo county');
      launchAs('demo-villager');
      installOrderPhone();
      const page = openPage(DETAIL, { id: other.id });
      await waitFor('order', page, () => exists(page, '#error'));
      shoot('detail-forbidden', DETAIL, page);
    },
  },
  {
    name: 'dispatch',
    async run(shoot) {
      const { id } = await wishAt('open');
      launchAs('demo-station-head');
      const route = 'packages/order/dispatch/index';
      const page = openPage(route, { id });
      await waitFor('candidates', page, () => exists(page, '#candidates') || exists(page, '#no-candidates'));
      shoot('dispatch', route, page);
    },
  },
];
