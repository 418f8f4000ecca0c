/**
 * export: the Excel export at county scale — 100,000 orders (--quick: 2,500, three pages) spread over the demo
 * county's villages within this year, exported by the center admin as one workbook through
 * stats.export (keyset pages of 1,000 streamed into exceljs's WorkbookWriter, the file streamed to
 * storage), and a village's orders by its station head. The export must finish within the function's
 * timeout (cloudfunctions/stats/config.json), which the local cloud enforces as the platform does.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../project';
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import type { OrderStatus } from '../../../../typings/order';
import { CATEGORIES } from '../../../../typings/domain';
import { BenchCloud } from '../cloud';
import { county, orderDoc, rand } from '../data';
import { rowOf, scans, timeRow, type Row, type Section } from '../report';
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
  const n = opts.quick ? 1 : 2;
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
    const inTown = docs.filter((d) => d.path.includes('haian-01')).length;

    const rows: Row[] = [];
    const notes: string[] = [];
    let rowsAnswered = 0;
    // The same export as `npm run export` runs it (its own process, no function timeout): the time the
    // work takes whatever the timeout, and the file it writes.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-export-'));
    const script: number[] = [];
    const env = {
      ...process.env,
      LOCALCLOUD_URL: bench.cloud.url,
      TCB_ENV_ID: '',
      TENCENTCLOUD_SECRETID: '',
      TENCENTCLOUD_SECRETKEY: '',
    };
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
      const out = path.join(dir, `${i}.xlsx`);
      await promisify(execFile)(process.execPath, [tsx, path.join('scripts', 'export.ts'), 'orders', '--out', out], {
        cwd: ROOT,
        env,
      });
      script.push(performance.now() - t0);
    }
    const kb = Math.round(fs.statSync(path.join(dir, '0.xlsx')).size / 1024);
    fs.rmSync(dir, { recursive: true, force: true });
    rows.push(timeRow('npm run export -- orders, the county (its own process, with tsx start-up)', script));
    notes.push(`the county's workbook: ${fmt(kb)} KB`);

    let county_: Awaited<ReturnType<typeof sample>> = [];
    try {
      county_ = await sample(bench, n, async () => {
        const res = await bench.call<{ rows: number }>(
          'stats',
          { action: 'export', kind: 'orders' },
          'demo-center-admin',
        );
        rowsAnswered = res.rows;
      });
      rows.push(rowOf(`stats.export orders, the county (${fmt(rowsAnswered)} rows, center admin)`, county_));
    } catch (e) {
      notes.push(`stats.export orders, the county: ${(e as Error).message.slice(0, 200)}`);
    }
    const town = await sample(bench, n, () =>
      bench.call('stats', { action: 'export', kind: 'orders' }, 'demo-institute-admin'),
    );
    rows.push(rowOf(`stats.export orders, one town (about ${fmt(inTown)} rows, institute admin)`, town));
    const head = await sample(bench, opts.quick ? 1 : 3, () =>
      bench.call('stats', { action: 'export', kind: 'orders' }, 'demo-station-head'),
    );
    rows.push(rowOf(`stats.export orders, one village (about ${fmt(inVillage)} rows, station head)`, head));
    notes.push(...scans([...county_, ...town, ...head]).map((s) => `full scan ${s}`));
    notes.push('the time of a call includes writing the workbook and storing it; the first call loads exceljs');
    return {
      name: 'export',
      title: `Excel export of ${fmt(total)} orders`,
      setup: [
        `${fmt(total)} orders over the ${c.stations.length} villages of the demo county, posted this year (whole seconds), inserted through the engine in ${secs(insertMs)}`,
        `${n} county exports with npm run export, ${n} through stats.export by the center admin, then a town's by its institute admin and a village's by its station head`,
      ],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
