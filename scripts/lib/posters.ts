/**
 * The practice-point posters: which points a station or an institute has, and the A4 sheet, one poster
 * a point, each with its permanent code (scene `p.<point id>`: opens the point, never checks anyone in).
 */
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { pointScene } from '../../cloudfunctions/shared/activity/domain/code';
import { SCAN_PAGE } from '../../cloudfunctions/shared/activity/store';
import { A4, addPage, newPdf } from '../../cloudfunctions/shared/pdf/doc';
import { retryReset, type CodeImage } from './wxacode';

export const CALL_TO_ACTION = '微信扫一扫，看这里的活动、许心愿';
const PAGE_SIZE = 100;
const CODE_CONCURRENCY = 4;

export interface PosterPoint {
  id: string;
  name: string;
  address: string | null;
  stationName: string;
}

interface Query {
  where(q: Record<string, unknown>): Query;
  orderBy(field: string, dir: 'asc' | 'desc'): Query;
  skip(n: number): Query;
  limit(n: number): Query;
  get(): Promise<{ code?: string; message?: string; data?: unknown }>;
}
export interface OrgDb {
  collection(name: 'orgs'): Query;
}

async function all(db: OrgDb, q: Record<string, unknown>): Promise<OrgDoc[]> {
  const out: OrgDoc[] = [];
  for (;;) {
    const r = await retryReset(() =>
      db.collection('orgs').where(q).orderBy('_id', 'asc').skip(out.length).limit(PAGE_SIZE).get(),
    );
    if (r.code) throw new Error(`reading orgs: ${r.code} ${r.message ?? ''}`);
    const page = (r.data ?? []) as OrgDoc[];
    out.push(...page);
    if (page.length < PAGE_SIZE) return out;
  }
}

/** The points under a station or an institute, in code order, with their station's name. */
export async function pointsUnder(db: OrgDb, id: string): Promise<{ root: OrgDoc; points: PosterPoint[] }> {
  const [root] = await all(db, { _id: id });
  if (!root) throw new Error(`没有编号为 ${id} 的站所（no node with id ${id}）`);
  if (root.level !== 'station' && root.level !== 'institute') {
    throw new Error(`${root.name}（${id}）不是实践所或实践站：海报按站或所打印（give a station or an institute id）`);
  }
  const stations = root.level === 'station' ? [root] : await all(db, { parentId: id, level: 'station' });
  const points: PosterPoint[] = [];
  for (const s of stations) {
    for (const p of await all(db, { parentId: s._id, level: 'point' })) {
      points.push({ id: p._id, name: p.name, address: p.address, stationName: s.name });
    }
  }
  return { root, points };
}

/** The code images, a few requests at a time (wxacode.getUnlimited allows 5,000 a minute). */
async function codesOf(points: readonly PosterPoint[], code: CodeImage): Promise<Buffer[]> {
  const scenes = points.map((p) => {
    const scene = pointScene(p.id);
    if (!scene) throw new Error(`${p.name}（${p.id}）的编号太长，放不进小程序码（a point id must be ≤ 30 characters）`);
    return scene;
  });
  const images: Buffer[] = new Array<Buffer>(scenes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scenes.length) {
      const i = next++;
      images[i] = await code(scenes[i], SCAN_PAGE);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CODE_CONCURRENCY, scenes.length) }, worker));
  return images;
}

/**
 * One A4 poster a point: name, station, address, the code, and what to do with it. The codes are all
 * fetched before drawing starts: loading the font holds the process for a moment, long enough for the
 * server to drop an idle kept-alive connection under a request.
 */
export async function posterSheet(title: string, points: readonly PosterPoint[], code: CodeImage): Promise<Buffer> {
  const images = await codesOf(points, code);
  const { doc, finish } = newPdf({ title, author: '新时代文明实践中心' });
  const width = A4.width - 112;
  points.forEach((p, i) => {
    addPage(doc);
    doc.fillColor('#b4282d').fontSize(20).text('新时代文明实践点', 56, 64, { width, align: 'center' });
    doc.fillColor('#000000').fontSize(40).text(p.name, 56, 104, { width, align: 'center' });
    doc.fontSize(20).fillColor('#333333').text(p.stationName, { width, align: 'center' });
    if (p.address) doc.fontSize(16).text(p.address, { width, align: 'center' });
    const side = 340;
    doc.image(images[i], (A4.width - side) / 2, 300, { width: side, height: side });
    doc.fillColor('#000000').fontSize(28).text(CALL_TO_ACTION, 56, 680, { width, align: 'center' });
    doc.fontSize(12).fillColor('#666666').text(`点位编号 ${p.id}`, 56, 760, { width, align: 'center' });
  });
  return finish();
}
