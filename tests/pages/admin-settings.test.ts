/**
 * A station head's 站点设置 and 实践点管理: automatic dispatch turned on and off (and read back from
 * the station), the station's opening hours saved; a practice point added with its kind and a place
 * picked on the map, then renamed; what is missing is said at the field before anything is sent. An
 * admin without a station picks one first. Run on a village of its own, so the other page tests'
 * orders are not dispatched automatically.
 */
import type { OrgNode, TreeNode } from '../../typings/api';
import {
  callAs,
  closeAllPages,
  exists,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  uniqueName,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import { callsTo, requests } from './wx-fake';

const STATION = 'haian-01-011';

afterEach(() => closeAllPages());

/** A new person bound to the village and made its station head by the town's institute. */
async function headOf(stationId: string): Promise<string> {
  const openid = uniqueOpenid('head');
  await callAs(openid, 'user', { action: 'bind', stationId, name: uniqueName('站长') });
  await callAs('demo-institute-admin', 'user', { action: 'grantRole', openid, role: 'stationHead', orgId: stationId });
  return openid;
}

const station = () =>
  callAs<OrgNode & { autoDispatch?: boolean }>('demo-villager', 'org', { action: 'get', id: STATION });
const pointsOf = async () =>
  (await callAs<TreeNode>('demo-villager', 'org', { action: 'tree', id: STATION, pageSize: 50 })).children ?? [];
const orgWrites = () =>
  requests.filter((r) => ['create', 'update'].includes(String((r.data as { action?: string }).action)));

/** The map picker as WeChat's: the place the user taps, with its name and address. */
function installMap(place: { latitude: number; longitude: number; name: string; address: string }): void {
  const wxGlobal = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  wxGlobal.chooseLocation = (o: { success?: (r: unknown) => void }) => {
    setTimeout(() => o.success?.({ ...place, errMsg: 'chooseLocation:ok' }), 0);
  };
}

test('站点设置: automatic dispatch on and off, the opening hours saved', async () => {
  launchAs(await headOf(STATION));
  const page = openPage('packages/admin/station/index');
  await waitFor('the settings', page, () => exists(page, '#auto-toggle'));
  expect(textOf(page, '#auto-state')).toBe('现在：已关掉');

  tap(page, '#auto-toggle');
  await waitFor('turned on', page, () => textOf(page, '#auto-state') === '现在：已打开');
  expect((await station()).autoDispatch).toBe(true);
  tap(page, '#auto-toggle');
  await waitFor('turned off', page, () => textOf(page, '#auto-state') === '现在：已关掉');
  expect((await station()).autoDispatch).toBe(false);

  typeInto(page, '#hours', '每天 8:30-17:00');
  tap(page, '#save');
  await waitFor('saved', page, () => exists(page, '#saved'));
  expect((await station()).hours).toBe('每天 8:30-17:00');

  tap(page, '#points-entry');
  await waitFor('the points page', page, () => callsTo('navigateTo').length === 1);
  expect(callsTo('navigateTo')[0].url).toBe(`/packages/admin/points/index?stationId=${STATION}`);
});

test('实践点管理: a point added with its kind and place, then renamed; what is missing said at the field', async () => {
  launchAs(await headOf(STATION));
  const before = await pointsOf();
  const page: SimPage = openPage('packages/admin/points/index');
  await waitFor('the points', page, () => exists(page, '#new-point'));
  expect(page.querySelectorAll('#points .wm-points__row')).toHaveLength(before.length);

  tap(page, '#new-point');
  await waitFor('the form', page, () => exists(page, '#save'));
  const name = `${uniqueName('书屋')}`.slice(0, 12);
  typeInto(page, '#name', name);
  tap(page, '#save');
  await waitFor('the kind asked', page, () => exists(page, '#field-kind #field-error'));
  expect(textOf(page, '#field-error')).toBe('请选实践点的类型。');
  expect(callsTo('pageScrollTo').at(-1)).toMatchObject({ selector: '#field-kind' });
  tap(page, '#kind-library');
  tap(page, '#save');
  await waitFor('the place asked', page, () => exists(page, '#field-location #field-error'));
  expect(exists(page, '#field-location.wm-card--invalid')).toBe(true);
  expect(orgWrites()).toEqual([]);

  const here = await station();
  const spot = { latitude: (here.location?.lat ?? 32.5) + 0.002, longitude: here.location?.lng ?? 120.4 };
  installMap({ ...spot, name: '村委会旁', address: '海安市某村委会旁' });
  tap(page, '#choose-location');
  await waitFor('the place', page, () => textOf(page, '#place-text') === '村委会旁');
  expect(page.data.draft).toMatchObject({ address: '海安市某村委会旁' });
  tap(page, '#save');
  await waitFor('the list again', page, () => exists(page, '#saved'));
  expect(textOf(page, '#saved')).toBe(`已新增“${name}”。`);

  const added = (await pointsOf()).find((p) => p.name === name);
  expect(added).toMatchObject({
    kind: 'library',
    location: { lat: spot.latitude, lng: spot.longitude },
    address: '海安市某村委会旁',
  });
  expect(page.querySelectorAll('#points .wm-points__row')).toHaveLength(before.length + 1);

  tap(page, `#point-${added?.id}`);
  await waitFor('the form', page, () => exists(page, '#save'));
  expect(page.data.draft).toMatchObject({ id: added?.id, name, kind: 'library' });
  typeInto(page, '#name', `${name}新`);
  tap(page, '#save');
  await waitFor('saved', page, () => textOf(page, '#saved') === `已保存“${name}新”。`);
  expect((await pointsOf()).find((p) => p.id === added?.id)?.name).toBe(`${name}新`);
});

test('an admin without a station of their own picks one first', async () => {
  launchAs('demo-center-admin');
  const page = openPage('packages/admin/points/index');
  await waitFor('the picker', page, () => exists(page, '#pick'));
  expect(exists(page, '#station-picker')).toBe(true);
});
