/**
 * org: the network read by villagers and admins on the demo county (1 center, 17 institutes, 231
 * stations, 5,194 practice points) — the ten-minute circle (org.nearby at 1, 3 and 5 km around
 * random places of the county), the tree (the center one level deep, an institute two levels deep)
 * and the center with the counts of its subtree (org.get).
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import { BenchCloud } from '../cloud';
import { rand } from '../data';
import { rowOf, scans, type Row, type Section } from '../report';
import { sample } from './common';
import type { Options } from './options';

const WHO = 'demo-villager';

export async function orgSection(opts: Options): Promise<Section> {
  const n = opts.quick ? 5 : 50;
  opts.log('org: starting a local cloud with the demo county');
  const bench = await BenchCloud.start({ demo: true });
  try {
    const all = bench.engine.find('orgs', { query: { level: 'point' }, limit: 100_000 }) as unknown as OrgDoc[];
    const r = rand(0x0a9);
    // Random places of the county: a practice point, moved up to ~500 m in any direction.
    const places = Array.from({ length: n }, () => {
      const p = r.pick(all);
      return { lat: p.lat! + (r() - 0.5) * 0.009, lng: p.lng! + (r() - 0.5) * 0.011 };
    });
    const rows: Row[] = [];
    const notes: string[] = [];
    const cold = await bench.measure(() => bench.call('org', { action: 'get' }, WHO));
    rows.push(rowOf('first call (cold instance: load the function)', [cold]));

    for (const km of [1, 3, 5]) {
      let found = 0;
      const costs = await sample(bench, n, async (i) => {
        const res = await bench.call<{ points: unknown[] }>(
          'org',
          { action: 'nearby', ...places[i], radiusM: km * 1000, limit: 50 },
          WHO,
        );
        found += res.points.length;
      });
      rows.push(rowOf(`org.nearby ${km} km (limit 50)`, costs, `${Math.round(found / n)} points found on average`));
      notes.push(...scans(costs).map((s) => `org.nearby ${km} km: full scan ${s}`));
    }
    const tree1 = await sample(bench, n, () => bench.call('org', { action: 'tree', id: 'haian', depth: 1 }, WHO));
    rows.push(rowOf('org.tree center, depth 1 (17 institutes)', tree1));
    const tree2 = await sample(bench, n, () =>
      bench.call('org', { action: 'tree', id: 'haian-01', depth: 2, pageSize: 50 }, WHO),
    );
    rows.push(rowOf('org.tree institute, depth 2 (28 stations, their points)', tree2));
    const get = await sample(bench, n, () => bench.call('org', { action: 'get' }, WHO));
    rows.push(rowOf('org.get center with counts', get));
    for (const [what, costs] of [
      ['org.tree', [...tree1, ...tree2]],
      ['org.get', get],
    ] as const) {
      notes.push(...scans(costs).map((s) => `${what}: full scan ${s}`));
    }
    return {
      name: 'org',
      title: 'the network on the county’s 5,194 practice points',
      setup: [`${all.length.toLocaleString('en-US')} practice points; ${n} calls per row, as a villager`],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
