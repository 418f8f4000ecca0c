/**
 * `npm run org` end to end, as the county office would use it: the generated Hai'an network is written
 * out as the office's CSV, imported by the script (a child process speaking the tcb API through
 * @cloudbase/node-sdk) into an empty local cloud, and comes back as the same tree. Importing it again
 * changes nothing; a file with bad rows is rejected whole with a row-by-row report; a dry run writes
 * nothing; an export gives back the very file that was imported.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exportOrgCsv } from '../../scripts/lib/org-csv';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { DEMO_STATION_ID, generateNetwork } from '../../localcloud/seed/network';
import { ROOT } from '../../scripts/lib/project';
import { startTestCloud, tempDir, type TestCloud } from '../helpers/localcloud';

jest.setTimeout(180_000);

const CREDENTIAL_VARS = ['TCB_ENV_ID', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'TENCENTCLOUD_SESSIONTOKEN'];
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'org');

let cloud: TestCloud;
let dir: string;
let network: OrgDoc[];
let fullCsv: string;
const timings: Record<string, number> = {};

interface Run {
  code: number | null;
  out: string;
  ms: number;
}

/** The script as a child process. Asynchronous: the local cloud answering it lives in this process. */
function runOrg(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOCALCLOUD_URL: cloud.url, ...env };
  for (const k of CREDENTIAL_VARS) if (!(k in env)) delete childEnv[k];
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, path.join(ROOT, 'scripts', 'org.ts'), ...args], {
      cwd: ROOT,
      env: childEnv,
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, ms: Date.now() - t0 }));
  });
}

const stored = (): OrgDoc[] => cloud.engine.find('orgs', { query: {}, sort: [['_id', 1]] }) as unknown as OrgDoc[];
const snapshot = (): string => JSON.stringify(stored());
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const expectPlan = (out: string, plan: string): void => {
  expect(out).toContain(`Plan: ${plan}`);
};

beforeAll(async () => {
  cloud = await startTestCloud();
  dir = tempDir('wm-org-import-');
  const t0 = performance.now();
  network = generateNetwork();
  timings.generateMs = Math.round(performance.now() - t0);
  fullCsv = exportOrgCsv(network);
});

afterAll(async () => {
  await cloud?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  // The figures the report quotes; printed once so a run shows them.
  console.log(`org import timings: ${JSON.stringify(timings)}`);
});

describe('npm run org against a local cloud', () => {
  it('checks the whole network in a dry run and writes nothing', async () => {
    const r = await runOrg(['import', write('haian.csv', fullCsv), '--dry-run']);
    expect(r.out).toContain('DRY RUN');
    expect(r.code).toBe(0);
    expectPlan(r.out, `create ${network.length}, update 0, unchanged 0, errors 0`);
    expect(r.out).toContain('Dry run: nothing was written.');
    expect(cloud.engine.count('orgs', {})).toBe(0);
  });

  it('imports the full network into an empty cloud, and the same tree comes back', async () => {
    const r = await runOrg(['import', path.join(dir, 'haian.csv')]);
    timings.importFullMs = r.ms;
    timings.importWriteMs = Number(/in (\d+) ms\./.exec(r.out)?.[1] ?? NaN);
    expect(r.out).toContain(`Imported: ${network.length.toLocaleString('en-US')} created, 0 updated`);
    expect(r.code).toBe(0);

    const back = stored();
    expect(back).toHaveLength(network.length);
    const shape = (d: OrgDoc) => [
      d._id,
      d.level,
      d.parentId,
      d.ancestors,
      d.order,
      d.name,
      d.lat,
      d.lng,
      d.address,
      d.kind,
      d.hours,
    ];
    const want = [...network].sort((a, b) => (a._id < b._id ? -1 : 1)).map(shape);
    expect(back.map(shape)).toEqual(want);
    expect(back.every((d) => d.createdAt instanceof Date && d.updatedAt instanceof Date)).toBe(true);
  });

  it('finds everything unchanged on a second import (reading every page) and changes nothing', async () => {
    const before = snapshot();
    const r = await runOrg(['import', path.join(dir, 'haian.csv')]);
    timings.reimportMs = r.ms;
    expect(r.code).toBe(0);
    expectPlan(r.out, `create 0, update 0, unchanged ${network.length}, errors 0`);
    expect(r.out).toContain('Nothing to write.');
    expect(snapshot()).toBe(before);
  });

  it('exports exactly the file that was imported', async () => {
    const file = path.join(dir, 'out', 'export.csv');
    const r = await runOrg(['export', file]);
    timings.exportMs = r.ms;
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Exported ${network.length} nodes`);
    expect(fs.readFileSync(file, 'utf8')).toBe(fullCsv);
  });

  it('rejects a file with bad rows whole, listing every bad row, and writes nothing', async () => {
    const before = snapshot();
    const r = await runOrg(['import', path.join(FIXTURES, 'haian-bad.csv')]);
    expect(r.code).toBe(1);
    const reported = r.out
      .split('\n')
      .filter((l) => /^\s+第\d+行：/.test(l))
      .map((l) => l.trim());
    expect(reported).toEqual([
      expect.stringMatching(/^第3行：上级编码 haian-99 不存在/),
      expect.stringMatching(/^第4行：实践点必须填写纬度和经度/),
      expect.stringMatching(/^第5行：类型“篮球场”不认识/),
      expect.stringMatching(/^第6行：名称不能为空/),
    ]);
    expect(r.out).toContain('nothing was imported');
    expectPlan(r.out, 'create 0, update 0, unchanged 0, errors 4');
    // Row 2 was good, but the file is taken whole or not at all.
    expect(snapshot()).toBe(before);
    expect(cloud.engine.count('orgs', { _id: 'haian-01-001-90' })).toBe(0);
  });

  it('reports a dry run of changes without writing them, then applies them', async () => {
    const book = network.find((d) => d._id === `${DEMO_STATION_ID}-02`)!;
    const changes = exportOrgCsv([
      { ...book, name: `${book.name}（新馆）`, hours: '每天 8:00-20:00' },
      {
        _id: `${DEMO_STATION_ID}-90`,
        level: 'point',
        name: '凤山村新时代文明实践广场',
        parentId: DEMO_STATION_ID,
        lat: 32.5231,
        lng: 120.4622,
        address: '海安市海安街道凤山村村部南侧',
        kind: 'square',
        hours: null,
      },
    ]);
    const file = write('changes.csv', changes);
    const before = snapshot();
    const [bookBefore] = cloud.engine.find('orgs', { query: { _id: book._id } }) as unknown as OrgDoc[];

    const dry = await runOrg(['import', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expectPlan(dry.out, 'create 1, update 1, unchanged 0, errors 0');
    expect(dry.out).toContain(`另有 ${(network.length - 1).toLocaleString('en-US')} 个已有节点不在文件中`);
    expect(snapshot()).toBe(before);

    const real = await runOrg(['import', file]);
    expect(real.code).toBe(0);
    const [updated] = cloud.engine.find('orgs', { query: { _id: book._id } }) as unknown as OrgDoc[];
    expect(updated).toMatchObject({
      name: '凤山村农家书屋（新馆）',
      hours: '每天 8:00-20:00',
      ancestors: book.ancestors,
      order: book.order,
    });
    expect(updated.createdAt.getTime()).toBe(bookBefore.createdAt.getTime());
    expect(updated.updatedAt.getTime()).toBeGreaterThan(bookBefore.updatedAt.getTime());
    const [added] = cloud.engine.find('orgs', { query: { _id: `${DEMO_STATION_ID}-90` } }) as unknown as OrgDoc[];
    const siblings = network.filter((d) => d.parentId === DEMO_STATION_ID).length;
    expect(added).toMatchObject({
      ancestors: ['haian', 'haian-01', DEMO_STATION_ID],
      order: siblings + 1,
      kind: 'square',
    });
    expect(cloud.engine.count('orgs', {})).toBe(network.length + 1);
  });

  it('refuses half-set CloudBase credentials rather than falling back to the local cloud', async () => {
    const r = await runOrg(['import', path.join(dir, 'haian.csv'), '--dry-run'], { TCB_ENV_ID: 'env-x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/missing: TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY/);
  });

  it('explains usage mistakes and a local cloud that is not running', async () => {
    const usage = await runOrg(['inport', 'x.csv']);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain('unknown command "inport"');
    const down = await runOrg(['export', path.join(dir, 'x.csv')], { LOCALCLOUD_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.out).toMatch(/Is the local cloud running\?/);
  });
});
