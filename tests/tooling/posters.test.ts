/**
 * `npm run posters`: a station's (or an institute's) practice-point posters, printed from the local
 * cloud as a county office prints them — one A4 page a point, its Chinese really drawn, its code really
 * a code that opens the point.
 */
import path from 'node:path';
import { connectDatabase } from '../../scripts/lib/org-target';
import { runScript } from '../helpers/process';
import { startTestCloud, tempDir, type TestCloud } from '../helpers/localcloud';
import { decodeQr, inkIn, pageCount, pageText, renderPage } from '../helpers/pdf';

// Each run starts tsx and loads the font: slow on a busy machine, nothing asserted about it.
jest.setTimeout(300_000);
const STATION = 'haian-01-001';
let cloud: TestCloud;

interface Org {
  _id: string;
  name: string;
  address: string | null;
  parentId: string;
}
let db: { collection(n: string): { where(q: object): { limit(n: number): { get(): Promise<{ data: Org[] }> } } } };

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  db = connectDatabase({ kind: 'local', url: cloud.url });
});

afterAll(async () => {
  await cloud.close();
});

async function posters(...args: string[]): Promise<{ code: number; out: string }> {
  return runScript(cloud.url, 'posters.ts', args);
}

async function orgs(q: object): Promise<Org[]> {
  return (await db.collection('orgs').where(q).limit(100).get()).data;
}

describe('npm run posters', () => {
  it('prints one poster a point of the demo station, each with its name, station, address and a code that opens it', async () => {
    const file = path.join(tempDir(), 'station.pdf');
    const r = await posters(STATION, '--out', file);
    expect(r.out).toContain('posters,');
    expect(r.code).toBe(0);
    const [station] = await orgs({ _id: STATION });
    const points = (await orgs({ parentId: STATION, level: 'point' })).sort((a, b) => (a._id < b._id ? -1 : 1));
    expect(points.length).toBeGreaterThan(1);
    expect(await pageCount(file)).toBe(points.length);

    for (const i of [0, points.length - 1]) {
      const p = points[i];
      expect(await pageText(file, i + 1)).toEqual([
        '新时代文明实践点',
        p.name,
        station.name,
        ...(p.address ? [p.address] : []),
        '微信扫一扫，看这里的活动、许心愿',
        `点位编号 ${p._id}`,
      ]);
      const page = await renderPage(file, i + 1, 100);
      // The title's band has ink (not a blank or a box of tofu that pdftotext would still read)…
      expect(inkIn(page, 100, 104, 150)).toBeGreaterThan(0.02);
      // …the margin above the header has none, and the code decodes to the point's own scene.
      expect(inkIn(page, 100, 10, 50)).toBe(0);
      const qr = decodeQr(page);
      expect(qr).not.toBeNull();
      const scene = new URL(qr!).searchParams.get('scene');
      expect(scene).toBe(`p.${p._id}`);
      expect(new URL(qr!).searchParams.get('page')).toBe('packages/activity/scan/index');
    }
  });

  it('refuses what is not a station or an institute, in plain words, and writes nothing', async () => {
    const [point] = await orgs({ parentId: STATION, level: 'point' });
    const file = path.join(tempDir(), 'none.pdf');
    const wrong = await posters(point._id, '--out', file);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('不是实践所或实践站');
    const missing = await posters('haian-99-999', '--out', file);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('没有编号为 haian-99-999 的站所');
    expect((await posters()).code).toBe(2);
  });
});
