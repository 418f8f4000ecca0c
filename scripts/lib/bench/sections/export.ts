/**
 * export: the Excel export at county scale — 100,000 orders (--quick: 2,500, three pages) spread over the demo
 * county's villages within this year, exported by the center admin as one workbook through
 * stats.export (keyset pages of 1,000 streamed into exceljs's WorkbookWriter, the file streamed to
 * storage), and a village's orders by its station head. The export must finish within the function's
 * timeout (cloudfunctions/stats/config.json), which the local cloud enforces as the platform does.
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import type { OrderStatus } from '../../../../typings/order';
import { CATEGORIES } from '../../../../typings/domain';
import { BenchCloud } from '../cloud';
import { county, orderDoc, rand } from '../data';
import { rowOf, scans, type Row, type Section } from '../report';
import { fmt, sample, secs } from './common';
import type { Options } from './options';

const STATUSES: OrderStatus[] = [
  'closed',
  'closed',
  'closed',
  'fulfilled',
  'accepted',
  'open',
  'rejected',
  'cancelled',
];

export async function exportSection(opts: Options): Promise<Section> {
  const total = opts.quick ? 2_500 : 100_000;
  const n = opts.quick ? 1 : 3;
  opts.log(`export: starting a local cloud with the demo county and ${fmt(total)} orders`);
  const bench = await BenchCloud.start({ demo: true });
  try {
    const network = bench.engine.find('orgs', { query: {}, limit: 100_000 }) as unknown as OrgDoc[];
    const c = county(network);
    const now = bench.cloud.clock.now();
    const yearStart = Date.UTC(new Date(now).getUTCFullYear(), 0, 1) - 8 * 3_600_000;
    const span = now - yearStart - 3_600_000;
    const r = rand(0xe4);
    const docs = [];
    for (let i = 0; i < total; i++) {
      const station = r.pick(c.stations);
      const doc = orderDoc({
        id: `bench-export-${String(i).padStart(6, '0')}`,
        station,
        level: 'station',
        status: r.pick(STATUSES),
        category: r.pick(CATEGORIES),
        // Whole seconds: many orders share a posting time, as the keyset's tie step expects.
        createdAt: new Date(yearStart + Math.floor((r() * span) / 1000) * 1000),
        assignee: r() < 0.6 ? { openid: 'demo-volunteer', name: '张志愿' } : null,
      });
      docs.push({ ...doc, contact: { phone: `139${String(10_000_000 + i).slice(-8)}`, address: null } });
    }
    const insertMs = bench.insert('orders', docs);
    const village = 'haian-01-001';
    const inVillage = docs.filter((d) => d.path.includes(village)).length;

    const rows: Row[] = [];
    const notes: string[] = [];
    let rowsAnswered = 0;
    const county_ = await sample(bench, n, async () => {
      const res = await bench.call<{ rows: number }>(
        'stats',
        { action: 'export', kind: 'orders' },
        'demo-center-admin',
      );
      rowsAnswered = res.rows;
    });
    rows.push(rowOf(`stats.export orders, the county (${fmt(rowsAnswered)} rows, center admin)`, county_));
    const head = await sample(bench, opts.quick ? 1 : 3, () =>
      bench.call('stats', { action: 'export', kind: 'orders' }, 'demo-station-head'),
    );
    rows.push(rowOf(`stats.export orders, one village (about ${fmt(inVillage)} rows, station head)`, head));
    notes.push(...scans([...county_, ...head]).map((s) => `full scan ${s}`));
    notes.push('the time of a call includes writing the workbook and storing it; the first call loads exceljs');
    return {
      name: 'export',
      title: `Excel export of ${fmt(total)} orders`,
      setup: [
        `${fmt(total)} orders over the ${c.stations.length} villages of the demo county, posted this year (whole seconds), inserted through the engine in ${secs(insertMs)}`,
        `${n} county exports by the center admin, then a village's by its station head`,
      ],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
