/**
 * The demo network the local cloud is seeded with: Hai'an's "1+17+231+5000", a tree whose every node
 * hangs under a parent one level up, with ancestors that agree with the parents, and coordinates that
 * put every station near its town and every point within a short walk of its station.
 */
import {
  CENTER_ID,
  DEMO_INSTITUTE_ID,
  DEMO_STATION_ID,
  generateNetwork,
  summarizeNetwork,
} from '../../localcloud/seed/network';
import { Engine } from '../../localcloud/db/engine';
import { ORG_CODE, plausibleLocation, type OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { LEVELS, POINT_KINDS } from '../../typings/domain';
import { tempDir } from '../helpers/localcloud';
import { ROOT } from '../../scripts/lib/project';
import fs from 'node:fs';
import path from 'node:path';

const AT = new Date('2024-03-01T00:00:00.000Z');

/** Great-circle distance in km. */
function km(a: { lat: number | null; lng: number | null }, b: { lat: number | null; lng: number | null }): number {
  const rad = (x: number) => (x * Math.PI) / 180;
  const dLat = rad(b.lat! - a.lat!);
  const dLng = rad(b.lng! - a.lng!);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat!)) * Math.cos(rad(b.lat!)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

let docs: OrgDoc[];
let byId: Map<string, OrgDoc>;

beforeAll(() => {
  // How fast it is generated is the benchmark's to say (npm run bench, load section), not a test's.
  docs = generateNetwork(AT);
  byId = new Map(docs.map((d) => [d._id, d]));
});

describe("the Hai'an demo network", () => {
  it('has exactly 1 center, 17 institutes, 231 stations and at least 5,000 practice points', () => {
    const counts = summarizeNetwork(docs);
    expect({ center: counts.center, institute: counts.institute, station: counts.station }).toEqual({
      center: 1,
      institute: 17,
      station: 231,
    });
    expect(counts.point).toBeGreaterThanOrEqual(5000);
    expect(counts.center + counts.institute + counts.station + counts.point).toBe(docs.length);
  });

  it("names the center and its institutes as Hai'an does", () => {
    expect(byId.get(CENTER_ID)).toMatchObject({
      level: 'center',
      name: '海安市新时代文明实践中心',
      parentId: null,
      ancestors: [],
    });
    const center = byId.get(CENTER_ID)!;
    expect(Math.abs(center.lat! - 32.53)).toBeLessThan(0.05);
    expect(Math.abs(center.lng! - 120.46)).toBeLessThan(0.05);
    const institutes = docs.filter((d) => d.level === 'institute');
    expect(institutes.map((d) => d._id)).toEqual(
      Array.from({ length: 17 }, (_v, i) => `haian-${String(i + 1).padStart(2, '0')}`),
    );
    for (const d of institutes) expect(d.name).toMatch(/^.{2,}新时代文明实践所$/);
    const names = institutes.map((d) => d.name.replace('新时代文明实践所', ''));
    expect(names).toEqual(
      expect.arrayContaining([
        '海安街道',
        '城东镇',
        '曲塘镇',
        '李堡镇',
        '角斜镇',
        '大公镇',
        '雅周镇',
        '白甸镇',
        '南莫镇',
        '墩头镇',
        '市教育局',
      ]),
    );
  });

  it('names stations after villages and communities, and points after what they are', () => {
    const problems: string[] = [];
    for (const d of docs.filter((x) => x.level === 'station')) {
      if (!/^.{2,}(村|社区)新时代文明实践站$/.test(d.name)) problems.push(`${d._id}: station name ${d.name}`);
    }
    const points = docs.filter((x) => x.level === 'point');
    for (const p of points) {
      if (!(POINT_KINDS as readonly string[]).includes(p.kind ?? '')) problems.push(`${p._id}: kind ${p.kind}`);
      if (!/^海安市/.test(p.address ?? '')) problems.push(`${p._id}: address ${p.address}`);
      if (!p.hours) problems.push(`${p._id}: no hours`);
    }
    for (const d of docs.filter((x) => x.level !== 'point'))
      if (d.kind !== null) problems.push(`${d._id}: kind on a ${d.level}`);
    expect(problems).toEqual([]);
    expect(points.some((p) => p.name.endsWith('村文化礼堂'))).toBe(true);
    expect(points.some((p) => p.name.endsWith('农家书屋'))).toBe(true);
    expect(new Set(points.map((p) => p.kind)).size).toBe(POINT_KINDS.length);
    // Within a station no two points share a name.
    expect(new Set(points.map((p) => `${p.parentId} ${p.name}`)).size).toBe(points.length);
  });

  it("has unique, well-formed codes that extend their parent's code", () => {
    expect(byId.size).toBe(docs.length);
    const bad = docs.filter(
      (d) => !ORG_CODE.test(d._id) || (d.parentId !== null && !d._id.startsWith(`${d.parentId}-`)),
    );
    expect(bad.map((d) => d._id)).toEqual([]);
    expect(byId.get('haian-01-001-01')?.parentId).toBe('haian-01-001');
  });

  it('hangs every node under an existing parent one level up, with ancestors that agree', () => {
    const problems: string[] = [];
    for (const d of docs) {
      if (d.level === 'center') continue;
      const parent = byId.get(d.parentId!);
      if (!parent) {
        problems.push(`${d._id}: parent ${d.parentId} does not exist`);
        continue;
      }
      if (LEVELS.indexOf(parent.level) + 1 !== LEVELS.indexOf(d.level))
        problems.push(`${d._id} (${d.level}) under ${parent._id} (${parent.level})`);
      if (JSON.stringify(d.ancestors) !== JSON.stringify([...parent.ancestors, parent._id]))
        problems.push(`${d._id}: ancestors ${d.ancestors.join(',')}`);
    }
    expect(problems).toEqual([]);
    expect(docs.filter((d) => d.level === 'center')).toHaveLength(1);
  });

  it('orders siblings 1, 2, 3 … and lists parents before children', () => {
    const seen = new Set<string>();
    const siblings = new Map<string, number[]>();
    const problems: string[] = [];
    for (const d of docs) {
      if (d.parentId && !seen.has(d.parentId)) problems.push(`${d._id} comes before its parent`);
      seen.add(d._id);
      const key = d.parentId ?? '';
      const list = siblings.get(key) ?? [];
      list.push(d.order);
      siblings.set(key, list);
    }
    for (const [parent, orders] of siblings) {
      if (orders.some((o, i) => o !== i + 1)) problems.push(`children of ${parent} ordered ${orders.join(',')}`);
    }
    expect(problems).toEqual([]);
  });

  it('puts institutes in the county, stations near their town and points within 1.5 km of their station', () => {
    const problems: string[] = [];
    for (const d of docs) {
      const { lat, lng } = d;
      if (lat === null || lng === null) {
        problems.push(`${d._id}: no coordinates`);
        continue;
      }
      if (!plausibleLocation(lat, lng) || lat < 32.3 || lat > 32.75 || lng < 120.15 || lng > 120.85)
        problems.push(`${d._id}: outside the county at ${lat},${lng}`);
      if (Math.round(lat * 1e6) / 1e6 !== lat || Math.round(lng * 1e6) / 1e6 !== lng)
        problems.push(`${d._id}: not rounded to 6 decimals: ${lat},${lng}`);
    }
    expect(problems).toEqual([]);
    let farthestStation = 0;
    let farthestPoint = 0;
    for (const d of docs) {
      if (d.level === 'station') farthestStation = Math.max(farthestStation, km(d, byId.get(d.parentId!)!));
      if (d.level === 'point') farthestPoint = Math.max(farthestPoint, km(d, byId.get(d.parentId!)!));
    }
    expect(farthestStation).toBeLessThanOrEqual(6);
    expect(farthestPoint).toBeLessThanOrEqual(1.5);
    // Department institutes sit in the city.
    const center = byId.get(CENTER_ID)!;
    for (const id of ['haian-15', 'haian-16', 'haian-17']) expect(km(byId.get(id)!, center)).toBeLessThan(3);
  });

  it('is the same county on every run', () => {
    expect(generateNetwork(AT)).toEqual(docs);
    expect(generateNetwork().map((d) => d.name)).toEqual(docs.map((d) => d.name));
    expect(docs.every((d) => d.createdAt.getTime() === AT.getTime() && d.updatedAt.getTime() === AT.getTime())).toBe(
      true,
    );
  });

  it('has a demo station a tester can say aloud, with at least 15 points, in the demo institute', () => {
    const station = byId.get(DEMO_STATION_ID)!;
    expect(station).toMatchObject({ level: 'station', parentId: DEMO_INSTITUTE_ID, name: '凤山村新时代文明实践站' });
    expect(byId.get(DEMO_INSTITUTE_ID)?.level).toBe('institute');
    const points = docs.filter((d) => d.parentId === DEMO_STATION_ID);
    expect(points.length).toBeGreaterThanOrEqual(15);
    expect(points.every((p) => p.name.startsWith('凤山村'))).toBe(true);
  });

  it("loads straight into a local cloud's engine under the orgs collection's own indexes", () => {
    const dir = tempDir('wm-network-');
    const engine = new Engine(dir);
    try {
      const def = JSON.parse(fs.readFileSync(path.join(ROOT, 'database', 'collections', 'orgs.json'), 'utf8'));
      engine.applyDefinitions([def]);
      engine.insert('orgs', docs as unknown as Record<string, unknown>[]);
      expect(engine.count('orgs', {})).toBe(docs.length);
      expect(engine.count('orgs', { ancestors: DEMO_INSTITUTE_ID, level: 'station' })).toBe(
        docs.filter((d) => d.parentId === DEMO_INSTITUTE_ID).length,
      );
      expect(engine.count('orgs', { ancestors: DEMO_STATION_ID })).toBe(
        docs.filter((d) => d.parentId === DEMO_STATION_ID).length,
      );
    } finally {
      engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
