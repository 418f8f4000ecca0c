/**
 * The screens `npm run screens` draws, as each of the demo county's people sees them: each one drives
 * the real page through the harness (a villager's taps, against the local cloud's demo county) and
 * captures it at the moments worth looking at. `smoke` marks the few per role the test suite draws on
 * every run; the whole set is for `npm run screens`.
 */
import {
  callAs,
  closeAllPages,
  component,
  exists,
  launchAs,
  miniprogram,
  openPage,
  tap,
  typeInto,
  uniqueOpenid,
  waitFor,
  type SimNode,
  type SimPage,
} from '../harness';
import { DEMO_STATION, installOrderPhone, tapIn } from '../order-helpers';
import { device } from '../wx-fake';
import type { Capture } from './compose';
import { serialize, markTyped } from './serialize';

export type Shoot = (name: string, route: string, page: SimPage, opts?: Partial<Capture>) => void;

export interface Screen {
  name: string;
  smoke?: boolean;
  run(shoot: Shoot): Promise<void>;
}

/** The capture of a page as it stands. */
export function captureOf(name: string, route: string, page: SimPage, opts: Partial<Capture> = {}): Capture {
  const dom = (page as unknown as { dom: Parameters<typeof serialize>[0] }).dom;
  return { name, route, html: serialize(dom), back: !route.startsWith('pages/'), ...opts };
}

/** Types into an input and keeps what was typed in the picture. */
export function typeIn(page: SimNode, selector: string, value: string): void {
  markTyped(page.querySelector(selector)?.dom, value);
  typeInto(page, selector, value);
}

export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

export async function stationLocation(): Promise<{ lat: number; lng: number }> {
  const s = await callAs<{ location?: { lat: number; lng: number } }>('demo-villager', 'org', {
    action: 'get',
    id: DEMO_STATION,
  });
  return s.location ?? { lat: 32.52, lng: 120.46 };
}

const HOME = 'pages/home/index';
const ROLES: [string, string, boolean][] = [
  ['demo-villager', 'villager', true],
  ['demo-volunteer', 'volunteer', true],
  ['demo-station-head', 'station-head', true],
  ['demo-institute-admin', 'institute-admin', false],
  ['demo-center-admin', 'center-admin', true],
];

const homes: Screen[] = ROLES.map(([openid, short, smoke]) => ({
  name: `home-${short}`,
  smoke,
  async run(shoot) {
    launchAs(openid);
    const page = openPage(HOME);
    await waitFor('home', page, () => exists(page, '#greeting') && !exists(page, '#loading'));
    if (short === 'station-head') await waitFor('station', page, () => exists(page, '#station-names'));
    if (short.endsWith('admin'))
      await waitFor('counts', page, () => ((page.data.admins as { note: string }[]) ?? []).every((a) => !a.note));
    await settle();
    shoot(`home-${short}`, HOME, page);
    shoot(`home-${short}-large-text`, HOME, page, { fontScale: 1.3 });
  },
}));

export const PEOPLE_SCREENS: Screen[] = [
  ...homes,
  {
    name: 'home-new-user',
    async run(shoot) {
      launchAs(uniqueOpenid('new'));
      const page = openPage(HOME);
      await waitFor('home', page, () => exists(page, '#first-step'));
      shoot('home-new-user', HOME, page);
    },
  },
  {
    name: 'home-error',
    async run(shoot) {
      const url = miniprogram.config.getLocalCloudUrl();
      try {
        launchAs('demo-villager');
        miniprogram.config.setLocalCloudUrl('http://127.0.0.1:9'); // nothing listens there
        const page = openPage(HOME);
        await waitFor('the error', page, () => exists(page, '#error'));
        shoot('home-error', HOME, page);
      } finally {
        miniprogram.config.setLocalCloudUrl(url);
      }
    },
  },
  ...(['villager', 'volunteer', 'station-head'] as const).map((short): Screen => ({
    name: `me-${short}`,
    smoke: short === 'volunteer',
    async run(shoot) {
      launchAs(`demo-${short}`);
      const page = openPage('pages/me/index');
      await waitFor('me', page, () => exists(page, '#name'));
      // The points and hours beside their rows come after the page.
      if (short !== 'station-head') await waitFor('figures', page, () => exists(page, '.wm-me__row-figure'));
      await settle();
      shoot(`me-${short}`, 'pages/me/index', page);
      shoot(`me-${short}-large-text`, 'pages/me/index', page, { fontScale: 1.3 });
    },
  })),
  {
    // The privacy sheet (TDesign's t-popup with our own text and WeChat's consent button) over 我的.
    name: 'privacy-sheet',
    smoke: true,
    async run(shoot) {
      launchAs(uniqueOpenid('privacy'));
      device.privacyAgreed = false;
      const page = openPage('pages/me/index');
      await waitFor('the consent row', page, () => exists(page, '#privacy-consent'));
      tap(page, '#privacy-consent');
      await waitFor('the sheet', page, () => page.dom?.textContent?.includes('请您先看一看隐私保护指引'));
      await settle(); // the sheet's enter transition (240 ms)
      shoot('privacy-sheet', 'pages/me/index', page);
      shoot('privacy-sheet-large-text', 'pages/me/index', page, { fontScale: 1.3 });
      // Answered, or the request stays pending (services/privacy.ts) and the next screen's page shows it.
      tap(component(page, '#privacy-popup-host'), '#privacy-disagree');
      await waitFor('the sheet gone', page, () => !page.dom?.textContent?.includes('请您先看一看隐私保护指引'));
    },
  },
  {
    name: 'admin-station',
    async run(shoot) {
      const route = 'packages/admin/station/index';
      launchAs('demo-station-head');
      const page = openPage(route);
      await waitFor('settings', page, () => exists(page, '#auto-toggle'));
      await settle();
      shoot('admin-station', route, page);
      shoot('admin-station-large-text', route, page, { fontScale: 1.3 });
    },
  },
  {
    name: 'admin-points',
    async run(shoot) {
      const route = 'packages/admin/points/index';
      launchAs('demo-station-head');
      const page = openPage(route);
      await waitFor('points', page, () => exists(page, '#new-point'));
      await settle();
      shoot('admin-points', route, page);
      tap(page, '#new-point');
      await waitFor('form', page, () => exists(page, '#save'));
      typeIn(page, '#name', '凤山村农家书屋');
      tap(page, '#save');
      await waitFor('error', page, () => exists(page, '#field-error'));
      await settle(100);
      shoot('admin-points-form-error', route, page);
      shoot('admin-points-form-error-large-text', route, page, { fontScale: 1.3 });
    },
  },
  {
    name: 'bind',
    async run(shoot) {
      const route = 'packages/profile/bind/index';
      launchAs(uniqueOpenid('bind'));
      const page = openPage(route);
      const picker = component(page, '#station-picker');
      await waitFor('picker', page, () => exists(picker, '#picker-query'));
      shoot('bind-start', route, page);
      typeIn(picker, '#picker-query', '凤山');
      tap(picker, '#picker-search');
      await waitFor('results', page, () => exists(picker, `#station-${DEMO_STATION}`));
      shoot('bind-search', route, page);
      tap(picker, `#station-${DEMO_STATION}`);
      await waitFor('form', page, () => exists(page, '#step-form'));
      tap(page, '#household-new');
      tap(page, '#submit');
      await waitFor('error', page, () => exists(page, '#bind-error'));
      shoot('bind-form-error', route, page);
    },
  },
  {
    name: 'volunteer-register',
    smoke: true,
    async run(shoot) {
      const route = 'packages/profile/volunteer/index';
      launchAs(uniqueOpenid('vol'));
      const page = openPage(route);
      await waitFor('form', page, () => exists(page, '#submit'));
      await settle();
      shoot('volunteer-register', route, page);
      tap(page, '#submit');
      await waitFor('error', page, () => exists(page, '#field-error'));
      await settle(100);
      shoot('volunteer-register-error', route, page);
      shoot('volunteer-register-error-large-text', route, page, { fontScale: 1.3 });
    },
  },
  {
    name: 'my-data',
    async run(shoot) {
      const route = 'packages/profile/mydata/index';
      launchAs('demo-villager');
      const page = openPage(route);
      await waitFor('my information', page, () => exists(page, '#about'));
      await settle();
      shoot('my-data', route, page);
    },
  },
  {
    name: 'nearby',
    smoke: true,
    async run(shoot) {
      const here = await stationLocation();
      launchAs('demo-villager');
      device.location = { latitude: here.lat, longitude: here.lng };
      const page = openPage('pages/nearby/index');
      await waitFor('points', page, () => exists(page, '#points'));
      shoot('nearby', 'pages/nearby/index', page);
    },
  },
  {
    name: 'nearby-no-location',
    async run(shoot) {
      launchAs('demo-villager');
      device.locationAllowed = false;
      const page = openPage('pages/nearby/index');
      await waitFor('no location', page, () => exists(page, '#no-location'));
      shoot('nearby-no-location', 'pages/nearby/index', page);
    },
  },
  {
    name: 'admin-people',
    smoke: true,
    async run(shoot) {
      launchAs('demo-institute-admin');
      const page = openPage('packages/admin/people/index');
      await waitFor('people', page, () => exists(page, '#people') || exists(page, '#no-people'));
      shoot('admin-people', 'packages/admin/people/index', page);
    },
  },
  {
    name: 'admin-appoint',
    smoke: true,
    async run(shoot) {
      const route = 'packages/admin/appoint/index';
      launchAs('demo-center-admin');
      const page = openPage(route);
      await waitFor('appoint', page, () => exists(page, '#step-person'));
      shoot('admin-appoint', route, page);
      typeIn(page, '#appoint-query', '张志愿');
      tap(page, '#appoint-search');
      await waitFor('results', page, () => exists(page, '#appoint-results') || exists(page, '#appoint-none'));
      const results = (page.data.results as { openid: string }[]) ?? [];
      if (!results[0]) return;
      tap(page, `#candidate-${results[0].openid}`);
      await waitFor('role step', page, () => exists(page, '#step-role') && !page.data.nodesLoading);
      await settle();
      shoot('admin-appoint-role', route, page);
    },
  },
  {
    name: 'stats-dashboard',
    smoke: true,
    async run(shoot) {
      const route = 'packages/admin/dashboard/index';
      launchAs('demo-center-admin');
      const page = openPage(route);
      await waitFor('figures', page, () => exists(page, '#figures') || exists(page, '#error'));
      await settle();
      shoot('stats-dashboard', route, page);
      tap(page, '#period-custom');
      await waitFor('range', page, () => exists(page, '#custom-range'));
      shoot('stats-dashboard-custom', route, page);
    },
  },
  {
    name: 'stats-dashboard-station',
    async run(shoot) {
      const route = 'packages/admin/dashboard/index';
      launchAs('demo-station-head');
      const page = openPage(route);
      await waitFor('figures', page, () => exists(page, '#figures') || exists(page, '#error'));
      await settle();
      shoot('stats-dashboard-station', route, page);
    },
  },
  {
    name: 'stats-league',
    async run(shoot) {
      const route = 'packages/admin/league/index';
      launchAs('demo-center-admin');
      const page = openPage(route);
      await waitFor('league', page, () => exists(page, '#league') || exists(page, '#no-rows'));
      const first = (page.data.rows as { orgId: string }[])[0];
      if (first) {
        tap(page, `#row-${first.orgId}`);
        await waitFor('parts', page, () => exists(page, `#parts-${first.orgId}`));
      }
      shoot('stats-league', route, page);
    },
  },
];

export { closeAllPages, installOrderPhone, tapIn };
