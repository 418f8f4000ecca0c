/**
 * An order's place lies in the requester's area: a practice point of their own station, or a point or
 * a location within the center's `placeWithinM` (20 km unless set) of it. Anything else is refused with
 * a typed error in Chinese, and nothing is stored.
 */
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { distanceM } from '../../cloudfunctions/shared/org/domain/geo';
import { DEFAULT_ORDER_SETTINGS } from '../../typings/order';
import { demoOrders } from '../helpers/orders';

const { cloud, orders } = demoOrders();
const STATION = 'haian-01-001';

const points = () => cloud().engine.find('orgs', { query: { level: 'point' }, limit: 100_000 }) as unknown as OrgDoc[];
const station = () => (cloud().engine.find('orgs', { query: { _id: STATION } }) as unknown as OrgDoc[])[0];
const away = (p: { lat: number | null; lng: number | null }) =>
  distanceM({ lat: station().lat!, lng: station().lng! }, { lat: p.lat!, lng: p.lng! });

const refused = async (over: Record<string, unknown>) => {
  const before = cloud().engine.count('orders', {});
  const r = await orders().call('demo-villager', {
    action: 'create',
    kind: 'wish',
    category: 'health',
    title: '帮忙量血压',
    content: '家里老人血压高，想请志愿者上门量一量。',
    requestId: `place-${Object.keys(over).join('-')}-${Math.round(Math.random() * 1e9)}`,
    acknowledgeSimilar: true,
    ...over,
  });
  expect(cloud().engine.count('orders', {})).toBe(before);
  return r.ok ? 'ok' : `${r.error.code} ${r.error.message}`;
};

describe('an order’s place is within the requester’s area', () => {
  it('refuses a practice point in another institute, far from the requester’s station', async () => {
    const far = points().find((p) => !p.ancestors.includes('haian-01') && away(p) > 25_000)!;
    expect(far).toBeDefined();
    expect(await refused({ pointId: far._id })).toMatch(/^INVALID_ARGUMENT .*实践点.*20公里/);
  });

  it('refuses a location more than 20 km from the requester’s station, anywhere in China too', async () => {
    const st = station();
    expect(await refused({ location: { lat: st.lat! + 0.3, lng: st.lng! } })).toMatch(
      /^INVALID_ARGUMENT .*位置.*20公里/,
    );
    expect(await refused({ location: { lat: 39.9, lng: 116.4 } })).toMatch(/^INVALID_ARGUMENT/);
  });

  it('takes a point of the own station, a point of a neighbouring station nearby, and a location in the village', async () => {
    const own = points().find((p) => p.parentId === STATION)!;
    const neighbour = points().find((p) => p.parentId !== STATION && away(p) < 5_000)!;
    const st = station();
    for (const over of [
      { pointId: own._id },
      { pointId: neighbour._id },
      { location: { lat: st.lat! + 0.01, lng: st.lng! } },
    ]) {
      const id = await orders().post('demo-villager', over);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('follows the distance the center sets', async () => {
    const st = station();
    const at = { lat: st.lat! + 0.1, lng: st.lng! }; // about 11 km north
    await orders().ok(
      orders().call('demo-center-admin', {
        action: 'setSettings',
        settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50, placeWithinM: 5_000 },
      }),
    );
    try {
      expect(await refused({ location: at })).toMatch(/^INVALID_ARGUMENT .*5公里/);
    } finally {
      await orders().dailyLimit(50);
    }
    expect(await orders().post('demo-villager', { location: at })).toMatch(/^[0-9a-f]{32}$/);
  });
});
