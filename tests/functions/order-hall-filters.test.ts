/**
 * The task hall's filters: a volunteer narrows the open orders they may take to one service, or to those
 * within 1, 3 or 5 km of where they are. Each filtered list is exactly the unfiltered hall narrowed so
 * (same order, nearest first), over every page; a bad filter is refused.
 */
import type { OrderApi, OrderSummary } from '../../typings/api';
import { demoOrders } from '../helpers/orders';
import { volunteerAt } from '../helpers/people';

const { cloud, orders } = demoOrders();

type HallReq = OrderApi['hall']['req'];

async function hall(openid: string, req: HallReq): Promise<OrderSummary[]> {
  const out: OrderSummary[] = [];
  let page: number | null = 0;
  while (page !== null) {
    const r: OrderApi['hall']['res'] = await orders().ok(orders().call(openid, { action: 'hall', ...req, page }));
    out.push(...r.orders);
    page = r.nextPage;
  }
  return out;
}

test('by service and by distance, the hall is the whole hall narrowed', async () => {
  const station = cloud().engine.find('orgs', { query: { _id: 'haian-01-001' } })[0] as { lat: number; lng: number };
  const here = { lat: station.lat, lng: station.lng };
  const vol = volunteerAt(cloud(), 'hall-filter-vol', 'haian-01-001', ['health', 'arts']);
  // About 0.5, 2 and 4 km north of where the volunteer stands, of two services.
  const north = (km: number) => ({ lat: here.lat + km / 111.2, lng: here.lng });
  const near = await orders().open({ category: 'health', location: north(0.5) });
  const mid = await orders().open({ category: 'arts', location: north(2) });
  const far = await orders().open({ category: 'health', location: north(4) });

  const whole = await hall(vol, here);
  expect(whole.map((o) => o.id)).toEqual(expect.arrayContaining([near, mid, far]));

  const health = await hall(vol, { ...here, category: 'health' });
  expect(health).toEqual(whole.filter((o) => o.category === 'health'));
  expect(health.map((o) => o.id)).toEqual(expect.arrayContaining([near, far]));
  expect(health.map((o) => o.id)).not.toContain(mid);

  for (const withinM of [1000, 3000, 5000] as const) {
    const within = await hall(vol, { ...here, withinM });
    expect(within).toEqual(whole.filter((o) => o.distanceM !== undefined && o.distanceM <= withinM));
  }
  expect((await hall(vol, { ...here, withinM: 1000 })).map((o) => o.id)).toContain(near);
  expect((await hall(vol, { ...here, withinM: 1000 })).map((o) => o.id)).not.toContain(mid);
  expect((await hall(vol, { ...here, withinM: 3000 })).map((o) => o.id)).toEqual(expect.arrayContaining([near, mid]));
  expect((await hall(vol, { ...here, withinM: 3000 })).map((o) => o.id)).not.toContain(far);

  const both = await hall(vol, { ...here, category: 'arts', withinM: 3000 });
  expect(both).toEqual(whole.filter((o) => o.category === 'arts' && (o.distanceM ?? Infinity) <= 3000));
  // A service the volunteer does not offer leaves nothing to take.
  expect(await hall(vol, { ...here, category: 'law' })).toEqual([]);
});

test('a radius or a service that is not one of the choices is refused', async () => {
  const vol = volunteerAt(cloud(), 'hall-filter-bad', 'haian-01-001', ['health']);
  for (const bad of [{ withinM: 2000 }, { withinM: -1 }, { category: 'cooking' }]) {
    expect(await orders().call(vol, { action: 'hall', ...(bad as HallReq) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  }
});

test('orders at one practice point page through the hall each once, nearest first (geoNear ties)', async () => {
  const station = cloud().engine.find('orgs', { query: { _id: 'haian-01-001' } })[0] as { lat: number; lng: number };
  const here = { lat: station.lat, lng: station.lng };
  const vol = volunteerAt(cloud(), 'hall-tie-vol', 'haian-01-001', ['law']);
  const point = { lat: here.lat + 1.5 / 111.2, lng: here.lng };
  const first = await orders().open({ category: 'law', location: point });
  // 44 more at the same point, posted in three minutes (so the id breaks most ties), and 3 without a place.
  const [doc] = cloud().engine.find('orders', { query: { _id: first } });
  const t0 = +new Date(doc.createdAt as Date);
  const copies = Array.from({ length: 47 }, (_v, i) => ({
    ...doc,
    _id: `hall-tie-${String(i).padStart(2, '0')}`,
    requestKey: `hall-tie-${i}`,
    createdAt: new Date(t0 - (i % 3) * 60_000),
    ...(i >= 44 ? { lat: null, lng: null, geo: null } : {}),
  }));
  cloud().engine.insert('orders', copies);

  const placed = (list: OrderSummary[]) => list.filter((o) => o.id === first || o.id.startsWith('hall-tie-'));
  for (const withinM of [undefined, 3000] as const) {
    const pages: OrderSummary[][] = [];
    let page: number | null = 0;
    while (page !== null) {
      const r: OrderApi['hall']['res'] = await orders().ok(
        orders().call(vol, { action: 'hall', ...here, ...(withinM ? { withinM } : {}), page }),
      );
      pages.push(r.orders);
      page = r.nextPage;
    }
    const all = pages.flat();
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    const ours = placed(all);
    expect(ours.map((o) => o.id).sort()).toEqual(
      [first, ...copies.filter((c) => withinM === undefined || c.geo !== null).map((c) => c._id)].sort(),
    );
    // A page ends inside the group at the point's distance.
    const d = ours[0].distanceM;
    expect(pages.some((p, i) => i > 0 && p[0]?.distanceM === d && pages[i - 1].at(-1)?.distanceM === d)).toBe(true);
    // Nearest first, then newest, then by id; those without a place last (with no radius).
    const key = (o: OrderSummary) => [o.distanceM ?? Infinity, -Date.parse(o.createdAt), o.id] as const;
    for (let i = 1; i < all.length; i += 1) {
      const [a, b] = [key(all[i - 1]), key(all[i])];
      expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))).toBe(true);
    }
  }
});
