/**
 * matching: order.candidates (派单) among a county's volunteers — 50,000 of them, each with 1–4 of
 * the ten skills and one or two stations — for an order held at its station, one escalated to its
 * institute and one at the center. The pool is read through the skill_stations index for the
 * stations nearest the order, so one call must read a few thousand volunteers at most, never all.
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import { BenchCloud } from '../cloud';
import { baselineDb, candidatesByFetchAll } from '../baseline';
import { county, orderDoc, volunteers } from '../data';
import { rowOf, scans, type Row, type Section } from '../report';
import { fmt, sample, secs } from './common';
import type { Options } from './options';

export async function matchingSection(opts: Options): Promise<Section> {
  const size = opts.quick ? 2_000 : 50_000;
  const n = opts.quick ? 3 : 30;
  opts.log(`matching: starting a local cloud with the demo county and ${fmt(size)} volunteers`);
  const bench = await BenchCloud.start({ demo: true });
  try {
    const network = bench.engine.find('orgs', { query: {}, limit: 100_000 }) as unknown as OrgDoc[];
    const c = county(network);
    const now = new Date(bench.cloud.clock.now());
    const vols = volunteers(c, size, now);
    const insertMs = bench.insert('volunteers', vols);
    const total = bench.engine.count('volunteers', {});

    // One open health order at each level, in the demo village (the center one from another town).
    const demo = c.byId.get('haian-01-001')!;
    const far = c.byId.get('haian-07-003')!;
    const created = new Date(now.getTime() - 3_600_000);
    const orders = [
      { id: 'bench-match-station', station: demo, level: 'station' as const, who: 'demo-station-head' },
      { id: 'bench-match-institute', station: demo, level: 'institute' as const, who: 'demo-institute-admin' },
      { id: 'bench-match-center', station: far, level: 'center' as const, who: 'demo-center-admin' },
    ];
    bench.insert(
      'orders',
      orders.map((o) =>
        orderDoc({
          id: o.id,
          station: o.station,
          level: o.level,
          status: 'open',
          category: 'health',
          createdAt: created,
        }),
      ),
    );

    const rows: Row[] = [];
    const notes: string[] = [];
    const db = baselineDb(bench.cloud.url);
    const cold = await bench.measure(() =>
      bench.call('order', { action: 'candidates', id: orders[0].id }, orders[0].who),
    );
    rows.push(rowOf('first call (cold instance)', [cold]));
    for (const o of orders) {
      let shown = 0;
      const costs = await sample(bench, n, async () => {
        const res = await bench.call<{ candidates: unknown[] }>('order', { action: 'candidates', id: o.id }, o.who);
        shown = res.candidates.length;
      });
      const read = Math.max(...costs.map((k) => k.returned.volunteers ?? 0));
      rows.push(
        rowOf(
          `order.candidates, order at the ${o.level}`,
          costs,
          `ranks ${fmt(read)} of ${fmt(total)} volunteers (${((100 * read) / total).toFixed(1)} %), shows the top ${shown}`,
        ),
      );
      notes.push(...scans(costs).map((s) => `order.candidates (${o.level}): full scan ${s}`));
      if (o.level !== 'station') {
        // The same pool the fetch-all way (the baseline, not the product): every active volunteer read.
        const scope = o.level === 'institute' ? o.station.parentId! : 'haian';
        const stations = c.stations.filter((st) => st.ancestors.includes(scope));
        const base = await sample(bench, Math.min(n, 5), () =>
          candidatesByFetchAll(db, { category: 'health', lat: o.station.lat!, lng: o.station.lng! }, stations),
        );
        rows.push(rowOf(`baseline: fetch every volunteer, filter in memory (${o.level})`, base));
        const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        notes.push(
          `order.candidates (${o.level}): the fetch-all baseline costs ${(med(base.map((k) => k.trips)) / med(costs.map((k) => k.trips))).toFixed(1)}× the round trips and ${(med(base.map((k) => k.returned.volunteers ?? 0)) / Math.max(1, med(costs.map((k) => k.returned.volunteers ?? 0)))).toFixed(1)}× the volunteers answered`,
        );
      }
      if (read >= total) notes.push(`order.candidates (${o.level}) read every volunteer`);
    }
    return {
      name: 'matching',
      title: `order.candidates among ${fmt(total)} volunteers`,
      setup: [
        `${fmt(size)} generated volunteers (1–4 skills, 1–2 stations over all 231, availability, load 0–3, ratings) inserted through the engine in batches of 1,000 in ${secs(insertMs)}, beside the demo's ${fmt(total - size)}`,
        `a health order at each level; ${n} calls per row, by the admin responsible at that level`,
      ],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
