/**
 * `npm run export` against a local cloud: a kind for a node and a period written to the file named,
 * read back with exceljs; a usage error and a period refused without writing anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runScript } from '../helpers/process';
import { startTestCloud, tempDir, type TestCloud } from '../helpers/localcloud';
import { column, readBookFile } from '../helpers/workbook';
import { periodOf } from '../../cloudfunctions/shared/stats/export/period';
import { DEMO_STATION_ID, DEMO_STATION_NAME } from '../../localcloud/seed/network';
import { shanghaiDay } from '../../typings/time';

let cloud: TestCloud;
let dir: string;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  dir = tempDir('wm-export-');
});

afterAll(async () => {
  await cloud.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run export', () => {
  it('writes a village’s orders of a period to the file named, phones masked', async () => {
    const today = shanghaiDay(Date.now());
    const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
    const out = path.join(dir, 'orders.xlsx');
    const r = await runScript(cloud.url, 'export.ts', [
      'orders',
      '--org',
      DEMO_STATION_ID,
      '--from',
      from,
      '--to',
      today,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const p = periodOf({ from, to: today }, new Date());
    if ('refusal' in p) throw new Error(p.refusal);
    const orders = (
      cloud.engine.find('orders', { query: { path: DEMO_STATION_ID }, limit: 100_000 }) as {
        _id: string;
        createdAt: Date;
      }[]
    ).filter((o) => new Date(o.createdAt) >= p.start && new Date(o.createdAt) < p.end);
    expect(orders.length).toBeGreaterThan(0);
    expect(r.out).toContain(`${orders.length} 行`);
    const [sheet] = await readBookFile(out);
    expect(sheet.frozenRows).toBe(1);
    expect(column(sheet, '工单编号').map(String).sort()).toEqual(orders.map((o) => o._id).sort());
    expect(new Set(column(sheet, '所属站点'))).toEqual(new Set([DEMO_STATION_NAME]));
    for (const phone of column(sheet, '群众手机')) expect(String(phone ?? '')).toMatch(/^(\d{3}\*{4}\d{4})?$/);
  });

  it.each([
    ['an unknown kind', ['people', '--out', 'refused.xlsx'], /usage: npm run export/],
    ['an option without its value', ['orders', '--from'], /usage: npm run export/],
    [
      'a start after the end',
      ['orders', '--from', '2026-06-02', '--to', '2026-06-01', '--out', 'refused.xlsx'],
      /开始日期不能晚于结束日期/,
    ],
  ])('refuses %s with exit code 2 and writes no file', async (_what, args, message) => {
    const before = fs.readdirSync(dir);
    const r = await runScript(
      cloud.url,
      'export.ts',
      args.map((a) => (a === 'refused.xlsx' ? path.join(dir, a) : a)),
    );
    expect(r.code).toBe(2);
    expect(r.out).toMatch(message);
    expect(fs.readdirSync(dir)).toEqual(before);
  });
});
