/**
 * hall: the task hall (order.hall) of volunteers across the county, with 20,000 open orders spread
 * over it — most with their village, some climbed to their institute, a few at the center — and, on
 * the same data, the admins' area lists (order.list, scope area) from a station up to the center.
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import type { VolunteerDoc } from '../../../../cloudfunctions/shared/user/domain/model';
import { CATEGORIES } from '../../../../typings/domain';
import { BenchCloud } from '../cloud';
import { baselineDb, hallByFetchAll } from '../baseline';
import { county, levelOf, orderDoc, rand, volunteers } from '../data';
import { rowOf, scans, type Row, type Section } from '../report';
import { fmt, sample, secs } from './common';
import type { Options } from './options';

export async function hallSection(opts: Options): Promise<Section> {
  const size = opts.quick ? 1_000 : 20_000;
  const n = opts.quick ? 3 : 40;
  opts.log(`hall: starting a local cloud with the demo county and ${fmt(size)} open orders`);
  const bench = await BenchCloud.start({ demo: true });
  try {
    const network = bench.engine.find('orgs', { query: {}, limit: 100_000 }) as unknown as OrgDoc[];
    const c = county(network);
    const now = bench.cloud.clock.now();
    const r = rand(0x4a11);
    const vols = volunteers(c, opts.quick ? 100 : 1_000, new Date(now), 0x4a12).filter((v) => v.status === 'active');
    const volMs = bench.insert('volunteers', vols);
    const docs = Array.from({ length: size }, (_v, i) => {
      const station = r.pick(c.stations);
      const points = c.pointsOf.get(station._id) ?? [];
      return orderDoc({
        id: `bench-open-${String(i + 1).padStart(6, '0')}`,
        station,
        level: levelOf(r),
        status: 'open',
        category: r.pick(CATEGORIES),
        createdAt: new Date(now - r() * 14 * 86_400_000),
        dueAt: new Date(now + r() * 48 * 3_600_000),
        point: r() < 0.5 ? r.pick(points) : undefined,
      });
    });
    const ordersMs = bench.insert('orders', docs);
    const openTotal = bench.engine.count('orders', { status: 'open' });

    const rows: Row[] = [];
    const notes: string[] = [];
    const callers: VolunteerDoc[] = [...vols.slice(0, n - 1)];
    const who = (i: number) => (i === 0 ? 'demo-volunteer' : callers[i % callers.length].openid);
    const cold = await bench.measure(() => bench.call('order', { action: 'hall' }, who(1)));
    rows.push(rowOf('first call (cold instance)', [cold]));
    let shown = 0;
    let truncated = 0;
    const hall = await sample(bench, n, async (i) => {
      const res = await bench.call<{ orders: unknown[]; nextPage: number | null }>('order', { action: 'hall' }, who(i));
      shown += res.orders.length;
    });
    for (const k of hall) if ((k.returned.orders ?? 0) >= 1000) truncated += 1;
    rows.push(
      rowOf(
        'order.hall, first page (volunteers all over the county)',
        hall,
        `${Math.round(shown / n)} orders shown on average`,
      ),
    );
    if (truncated) {
      notes.push(
        `order.hall: ${truncated} of ${n} calls read 1,000 orders or more (a read answers at most 1,000: the hall's tie group at one distance would be cut)`,
      );
    }
    // The same first pages the fetch-all way (the baseline, not the product): every open order read.
    const db = baselineDb(bench.cloud.url);
    const demoVol = bench.engine.find('volunteers', { query: { _id: 'demo-volunteer' } })[0] as unknown as VolunteerDoc;
    const asVolunteer = (i: number) => (i === 0 ? demoVol : callers[i % callers.length]);
    const placeOf = (v: VolunteerDoc) => {
      const st = c.byId.get(v.stationIds[0]);
      return st && st.lat !== null && st.lng !== null ? { lat: st.lat, lng: st.lng } : null;
    };
    const baseline = await sample(bench, Math.min(n, 10), (i) =>
      hallByFetchAll(db, asVolunteer(i), placeOf(asVolunteer(i))),
    );
    rows.push(rowOf('baseline: fetch every open order, filter and rank in memory', baseline));
    const ratio = (k: 'trips' | 'docs') => {
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const pick = (c: (typeof hall)[number]) => (k === 'trips' ? c.trips : (c.returned.orders ?? 0));
      return (med(baseline.map(pick)) / Math.max(1, med(hall.map(pick)))).toFixed(1);
    };
    notes.push(
      `the fetch-all baseline costs ${ratio('trips')}× the hall's round trips and ${ratio('docs')}× the orders it answers, on the same data`,
    );
    const next = await sample(bench, Math.min(n, 10), (i) => bench.call('order', { action: 'hall', page: 2 }, who(i)));
    rows.push(rowOf('order.hall, third page', next));
    notes.push(...scans([...hall, ...next]).map((s) => `order.hall: full scan ${s}`));

    const lists: [string, string, Record<string, unknown>][] = [
      ['order.list area, station head (凤山村)', 'demo-station-head', {}],
      ['order.list area, institute admin', 'demo-institute-admin', {}],
      ['order.list area, center admin', 'demo-center-admin', {}],
      ['order.list area, center admin, open only', 'demo-center-admin', { status: ['open'] }],
      ['order.list area, center admin, red only', 'demo-center-admin', { overdue: true }],
    ];
    for (const [what, openid, filter] of lists) {
      const costs = await sample(bench, Math.min(n, 10), () =>
        bench.call('order', { action: 'list', scope: 'area', ...filter }, openid),
      );
      rows.push(rowOf(what, costs));
      notes.push(...scans(costs).map((s) => `${what}: full scan ${s}`));
      const read = Math.max(...costs.map((k) => k.examined.orders ?? 0));
      if (read > 1000) notes.push(`${what}: reads ${fmt(read)} orders to answer one page of 20`);
    }
    return {
      name: 'hall',
      title: `the task hall and area lists with ${fmt(openTotal)} open orders`,
      setup: [
        `${fmt(size)} open orders over all 231 stations (80 % held by their station, 17 % by their institute, 3 % at the center; ten categories; posted in the last 14 days), inserted through the engine in ${secs(ordersMs)}; ${fmt(vols.length)} volunteers in ${secs(volMs)}`,
        `${n} hall calls by different volunteers (the demo volunteer and generated ones), lists by the demo admins`,
      ],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
