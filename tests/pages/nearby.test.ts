/**
 * 身边的实践点 with the phone standing at 凤山村's station: the points within the radius, nearest first
 * (the same order the function gives), each with kind, station, distance, hours and address; a wider
 * radius finds more; a tap opens the map app there. Location refused: the page says how to allow it
 * and offers the search by village name instead. Privacy not yet agreed: the popup asks first.
 */
import type { NearbyPoint, OrgNode } from '../../typings/api';
import {
  callAs,
  closeAllPages,
  component,
  exists,
  fire,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import { callsTo, device, requests } from './wx-fake';

const STATION = 'haian-01-001';
let here: { lat: number; lng: number };

beforeAll(async () => {
  const station = await callAs<OrgNode>('demo-villager', 'org', { action: 'get', id: STATION });
  if (!station.location) throw new Error(`${STATION} has no location in the demo county`);
  here = station.location;
});

afterEach(() => closeAllPages());

function standAtTheStation(): void {
  launchAs(uniqueOpenid('near'));
  device.location = { latitude: here.lat, longitude: here.lng };
}

const listed = (page: SimPage) => exists(page, '#points');
const rowIds = (page: SimPage) => page.querySelectorAll('.wm-nearby__point').map((n) => n.dom?.textContent ?? '');

/** "350米" → 350, "1.2公里" → 1200, "就在附近" (under 50 m) → 0. */
function meters(text: string | undefined): number {
  if (text?.includes('就在附近')) return 0;
  const m = /([\d.]+)(米|公里)/.exec(text ?? '');
  if (!m) throw new Error(`no distance in ${text}`);
  return Number(m[1]) * (m[2] === '公里' ? 1000 : 1);
}

const nearbyRequests = () =>
  requests.filter((r) => (r.data as { action?: string }).action === 'nearby').map((r) => r.data as { radiusM: number });

test('lists the points within 1 公里, nearest first, as the function ranks them', async () => {
  standAtTheStation();
  const page = openPage('pages/nearby/index');

  await waitFor('the points', page, () => listed(page));

  const expected = await callAs<{ points: NearbyPoint[] }>('demo-villager', 'org', {
    action: 'nearby',
    lat: here.lat,
    lng: here.lng,
    radiusM: 1000,
    limit: 30,
  });
  const rows = page.querySelectorAll('.wm-nearby__point');
  expect(rows.length).toBe(expected.points.length);
  expect(rows.length).toBeGreaterThan(3);
  expected.points.forEach((p, i) => {
    expect(textOf(page, `#point-${p.id} .wm-nearby__name`)).toBe(p.name);
    expect(rowIds(page)[i]).toContain(p.name);
  });
  const distances = page.querySelectorAll('.wm-nearby__distance').map((n) => meters(n.dom?.textContent ?? ''));
  expect(distances).toEqual([...distances].sort((a, b) => a - b));
  expect(distances.every((d) => d <= 1000)).toBe(true);

  const first = expected.points[0];
  const firstText = textOf(page, `#point-${first.id}`) ?? '';
  expect(firstText).toContain(`开放时间：${first.hours}`);
  expect(firstText).toContain(`地址：${first.address}`);
  expect(firstText).toMatch(
    /(文化礼堂|农家书屋|文体广场|党员活动室|老年活动中心|新时代学堂|卫生服务站|田间课堂|其他实践点) · \S+/,
  );
  expect(exists(page, '#nearby-map')).toBe(true);
  expect(nearbyRequests()).toEqual([expect.objectContaining({ radiusM: 1000 })]);
});

test('3 公里 finds at least as many, and a tap opens the map app at the point', async () => {
  standAtTheStation();
  const page = openPage('pages/nearby/index');
  await waitFor('the points', page, () => listed(page));
  const within1 = page.querySelectorAll('.wm-nearby__point').length;

  tap(page, '#radius-3000');

  await waitFor('the wider circle', page, () => nearbyRequests().length === 2 && listed(page));
  expect(nearbyRequests()[1].radiusM).toBe(3000);
  expect(exists(page, '#radius-3000.wm-chip--on')).toBe(true);
  const rows = page.querySelectorAll('.wm-nearby__point');
  expect(rows.length).toBeGreaterThanOrEqual(within1);

  const expected = await callAs<{ points: NearbyPoint[] }>('demo-villager', 'org', {
    action: 'nearby',
    lat: here.lat,
    lng: here.lng,
    radiusM: 3000,
    limit: 30,
  });
  const second = expected.points[1];
  tap(page, `#point-${second.id}`);

  await waitFor('the map app', page, () => callsTo('openLocation').length === 1);
  expect(callsTo('openLocation')[0]).toMatchObject({
    latitude: second.location?.lat,
    longitude: second.location?.lng,
    name: second.name,
    address: second.address,
  });
});

test('when location is refused it says how to allow it, and the search by village lists its points', async () => {
  launchAs(uniqueOpenid('near'));
  device.locationAllowed = false;
  const page = openPage('pages/nearby/index');

  await waitFor('the refusal', page, () => exists(page, '#no-location'));
  expect(textOf(page, '#location-message')).toBe('您没有允许使用位置。请点“去设置”，把“位置信息”打开后再试。');
  expect(textOf(page, '#open-setting')).toBe('去设置');

  tap(page, '#search-instead');
  await waitFor('the search', page, () => exists(page, '#station-picker'));
  const picker = component(page, '#station-picker');
  expect(exists(picker, '#picker-tab-near')).toBe(false);
  typeInto(picker, '#picker-query', '凤山');
  tap(picker, '#picker-search');
  await waitFor('凤山村', page, () => exists(picker, `#station-${STATION}`));
  tap(picker, `#station-${STATION}`);

  await waitFor('its points', page, () => listed(page));
  expect(textOf(page, '#station-title')).toBe('凤山村（海安街道）的实践点');
  expect(page.querySelectorAll('.wm-nearby__point')).toHaveLength(24);
  expect(textOf(page, '.wm-nearby__point')).toContain('凤山村文化礼堂');
  expect(exists(page, '.wm-nearby__distance')).toBe(false);
});

test('去设置: once location is allowed in the settings, the points are listed', async () => {
  standAtTheStation();
  device.locationAllowed = false;
  device.allowsLocationInSettings = true;
  const page = openPage('pages/nearby/index');
  await waitFor('the refusal', page, () => exists(page, '#open-setting'));

  tap(page, '#open-setting');

  await waitFor('the points', page, () => listed(page));
  expect(callsTo('openSetting')).toHaveLength(1);
});

test('without a system location it asks to switch the GPS on', async () => {
  launchAs(uniqueOpenid('near'));
  const page = openPage('pages/nearby/index');

  await waitFor('the refusal', page, () => exists(page, '#no-location'));
  expect(textOf(page, '#location-message')).toBe('没有取到位置。请打开手机的定位（GPS），并允许微信使用位置。');
  expect(exists(page, '#relocate')).toBe(true);
});

describe('privacy consent before the first location', () => {
  test('the popup asks; 同意 lets the location through', async () => {
    standAtTheStation();
    device.privacyAgreed = false;
    const page = openPage('pages/nearby/index');
    const popup = component(page, '#privacy-popup-host');

    await waitFor('the popup', page, () => exists(popup, '#privacy-popup'));
    await waitFor(
      'the guide named',
      page,
      () => textOf(popup, '#privacy-contract') === '点这里阅读《文明实践云隐私保护指引》',
    );
    expect(exists(page, '#points')).toBe(false);
    fire(popup, '#privacy-agree', 'agreeprivacyauthorization');

    await waitFor('the points', page, () => listed(page));
    expect(device.privacyAgreed).toBe(true);
  });

  test('不同意: no location, and the page says why', async () => {
    standAtTheStation();
    device.privacyAgreed = false;
    const page = openPage('pages/nearby/index');
    const popup = component(page, '#privacy-popup-host');
    await waitFor('the popup', page, () => exists(popup, '#privacy-popup'));

    tap(popup, '#privacy-disagree');

    await waitFor('the refusal', page, () => exists(page, '#no-location'));
    expect(textOf(page, '#location-message')).toBe('需要您先同意《隐私保护指引》，才能用您的位置查找。');
    expect(nearbyRequests()).toEqual([]);
  });
});
