/**
 * The org function on the demo county: subtree counts, paged trees, the ten-minute circle (checked
 * against a brute-force computation over every point), search, and admin edits within scope.
 */
import type { NearbyPoint, OrgApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { distanceM } from '../../cloudfunctions/shared/org/domain/geo';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';

let cloud: TestCloud;
let points: OrgDoc[];

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  points = cloud.engine.find('orgs', { query: { level: 'point' }, limit: 100_000 }) as unknown as OrgDoc[];
  person(cloud, 'org-head', [['stationHead', 'haian-01-001']], '李站长');
  person(cloud, 'org-villager', [['villager', 'haian-01-001']], '赵大爷');
});

afterAll(async () => {
  await cloud.close();
});

type Res<A extends keyof OrgApi> = OrgApi[A]['res'];
const org = <A extends keyof OrgApi>(event: { action: A } & OrgApi[A]['req'], openid = 'org-villager') =>
  cloud.call<Result<Res<A>>>('org', event, openid);
const ok = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data;
};

/** The points within radius of a location, nearest first, computed over the whole network. */
function bruteForce(lat: number, lng: number, radiusM: number): { id: string; d: number }[] {
  return points
    .map((p) => ({ id: p._id, d: distanceM({ lat, lng }, { lat: p.lat!, lng: p.lng! }) }))
    .filter((x) => x.d <= radiusM)
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id));
}

describe('org.get', () => {
  it('answers the center with the counts of the whole county when no id is given', async () => {
    const root = ok(await org({ action: 'get' }));
    expect(root).toMatchObject({ id: 'haian', level: 'center', parentId: null, path: [] });
    expect(root.counts).toEqual({ institutes: 17, stations: 231, points: points.length });
    expect(points.length).toBeGreaterThanOrEqual(5000);
  });

  it('answers a station with its ancestry and its points', async () => {
    const st = ok(await org({ action: 'get', id: 'haian-01-001' }));
    expect(st.path.map((p) => p.id)).toEqual(['haian', 'haian-01']);
    expect(st.counts.points).toBe(points.filter((p) => p.parentId === 'haian-01-001').length);
  });

  it('answers an unknown id with NOT_FOUND', async () => {
    expect(await org({ action: 'get', id: 'haian-99' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('org.tree', () => {
  it('pages the children of a node in order, with how many each has', async () => {
    const first = ok(await org({ action: 'tree', id: 'haian', pageSize: 10 }));
    expect(first.childCount).toBe(17);
    expect(first.children).toHaveLength(10);
    expect(first.nextPage).toBe(1);
    const second = ok(await org({ action: 'tree', id: 'haian', pageSize: 10, page: 1 }));
    expect(second.children).toHaveLength(7);
    expect(second.nextPage).toBeNull();
    const ids = [...first.children!, ...second.children!].map((c) => c.id);
    expect(new Set(ids).size).toBe(17);
    for (const c of first.children!) {
      expect(c.childCount).toBe(cloud.engine.count('orgs', { parentId: c.id }));
    }
  });

  it('goes two levels down with depth 2', async () => {
    const t = ok(await org({ action: 'tree', id: 'haian-01', depth: 2, pageSize: 3 }));
    expect(t.children).toHaveLength(3);
    for (const st of t.children!) {
      expect(st.level).toBe('station');
      expect(st.children!.length).toBe(Math.min(st.childCount, 50));
      expect(st.children!.every((p) => p.level === 'point' && p.parentId === st.id)).toBe(true);
    }
  });
});

describe('org.nearby — the ten-minute circle', () => {
  const ids = (ps: NearbyPoint[]) => ps.map((p) => p.id);

  it('answers the same points in the same order as a brute-force search, with distances', async () => {
    const st = (cloud.engine.find('orgs', { query: { _id: 'haian-01-001' } }) as unknown as OrgDoc[])[0];
    const r = ok(await org({ action: 'nearby', lat: st.lat!, lng: st.lng!, radiusM: 1500, limit: 50 }));
    const expected = bruteForce(st.lat!, st.lng!, 1500).slice(0, 50);
    expect(expected.length).toBeGreaterThan(3);
    expect(ids(r.points)).toEqual(expected.map((e) => e.id));
    r.points.forEach((p, i) => expect(Math.abs(p.distanceM - expected[i].d)).toBeLessThanOrEqual(1));
    expect(r.points[0].stationName).toMatch(/实践站$/);
  });

  it('includes a point just inside the radius and leaves out one just beyond it', async () => {
    const st = (cloud.engine.find('orgs', { query: { _id: 'haian-05-003' } }) as unknown as OrgDoc[])[0];
    const all = bruteForce(st.lat!, st.lng!, 3000);
    const edge = all[Math.min(10, all.length - 1)];
    const inside = ok(await org({ action: 'nearby', lat: st.lat!, lng: st.lng!, radiusM: edge.d + 1, limit: 50 }));
    const outside = ok(await org({ action: 'nearby', lat: st.lat!, lng: st.lng!, radiusM: edge.d - 1, limit: 50 }));
    expect(ids(inside.points)).toContain(edge.id);
    expect(ids(outside.points)).not.toContain(edge.id);
    // The distance shown is the one the radius was applied to: nothing shown lies beyond it.
    expect(Math.max(...inside.points.map((p) => p.distanceM))).toBeLessThanOrEqual(edge.d + 1);
    expect(inside.points.find((p) => p.id === edge.id)!.distanceM).toBe(Math.round(edge.d));
  });

  it('crosses institute boundaries: a location between two towns finds the points of both', async () => {
    // The midpoint of the two closest points that belong to different institutes.
    let best: { a: OrgDoc; b: OrgDoc; d: number } | undefined;
    const byInstitute = (p: OrgDoc) => p.ancestors[1];
    const sample = points.filter((_p, i) => i % 7 === 0);
    for (const a of sample) {
      for (const b of sample) {
        if (byInstitute(a) >= byInstitute(b)) continue;
        const d = distanceM({ lat: a.lat!, lng: a.lng! }, { lat: b.lat!, lng: b.lng! });
        if (!best || d < best.d) best = { a, b, d };
      }
    }
    const mid = { lat: (best!.a.lat! + best!.b.lat!) / 2, lng: (best!.a.lng! + best!.b.lng!) / 2 };
    const radius = Math.max(1000, best!.d);
    const r = ok(await org({ action: 'nearby', ...mid, radiusM: radius, limit: 50 }));
    const institutes = new Set(r.points.map((p) => p.ancestors[1]));
    expect(institutes.size).toBeGreaterThanOrEqual(2);
    expect(ids(r.points)).toEqual(
      bruteForce(mid.lat, mid.lng, radius)
        .slice(0, 50)
        .map((e) => e.id),
    );
  });

  it('answers an empty list far from the county, and refuses a radius beyond 20 km', async () => {
    expect(ok(await org({ action: 'nearby', lat: 39.9, lng: 116.4, radiusM: 5000 })).points).toEqual([]);
    expect(await org({ action: 'nearby', lat: 32.5, lng: 120.4, radiusM: 50_000 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  });
});

describe('org.search and nearestStations', () => {
  it('finds the demo station by part of its name, with its town', async () => {
    const r = ok(await org({ action: 'search', q: '凤山', level: 'station' }));
    expect(r.nodes.map((n) => n.id)).toContain('haian-01-001');
    expect(r.nodes.find((n) => n.id === 'haian-01-001')!.parentName).toMatch(/实践所$/);
  });

  it('treats the search words literally, not as a pattern', async () => {
    expect(ok(await org({ action: 'search', q: '.*' })).nodes).toEqual([]);
  });

  it('answers the stations nearest a location, nearest first', async () => {
    const st = (cloud.engine.find('orgs', { query: { _id: 'haian-01-001' } }) as unknown as OrgDoc[])[0];
    const r = ok(await org({ action: 'nearestStations', lat: st.lat!, lng: st.lng!, limit: 3 }));
    expect(r.stations[0].id).toBe('haian-01-001');
    expect(r.stations.map((s) => s.distanceM)).toEqual([...r.stations.map((s) => s.distanceM)].sort((a, b) => a - b));
  });
});

describe('org.create and org.update', () => {
  const newPoint = {
    action: 'create' as const,
    parentId: 'haian-01-001',
    name: '凤山村健身小广场',
    location: { lat: 32.55, lng: 120.45 },
    kind: 'square' as const,
  };

  it('lets a station head add a point under their station, and a retry answers the same point', async () => {
    const first = ok(await org(newPoint, 'org-head'));
    expect(first).toMatchObject({
      level: 'point',
      parentId: 'haian-01-001',
      ancestors: ['haian', 'haian-01', 'haian-01-001'],
      kind: 'square',
    });
    const again = ok(await org(newPoint, 'org-head'));
    expect(again.id).toBe(first.id);
    expect(cloud.engine.count('orgs', { parentId: 'haian-01-001', name: newPoint.name })).toBe(1);
  });

  it('refuses a second node of the same name under one parent with different details', async () => {
    const r = await org({ ...newPoint, kind: 'library' }, 'org-head');
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('requires a location and kind for a point, and a plausible location', async () => {
    expect(await org({ action: 'create', parentId: 'haian-01-001', name: '没有位置的点' }, 'org-head')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(
      await org({ ...newPoint, name: '坐标反了的点', location: { lat: 120.45, lng: 32.55 } }, 'org-head'),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  });

  it('refuses text the content check rejects, and stores nothing', async () => {
    const before = cloud.engine.count('orgs', {});
    expect(await org({ ...newPoint, name: '赌博活动室' }, 'org-head')).toMatchObject({
      ok: false,
      error: { code: 'CONTENT_REJECTED' },
    });
    expect(cloud.engine.count('orgs', {})).toBe(before);
  });

  it('finds a new point nearby at its place, and after a move at the new place only', async () => {
    const at = { lat: 32.7705, lng: 120.8805 };
    const moved = { lat: 32.7805, lng: 120.8905 };
    const made = ok(await org({ ...newPoint, name: '海边新点', location: at }, 'org-head'));
    const near = async (p: { lat: number; lng: number }) =>
      ok(await org({ action: 'nearby', ...p, radiusM: 300 })).points.map((x) => x.id);
    expect(await near(at)).toEqual([made.id]);
    ok(await org({ action: 'update', id: made.id, location: moved }, 'org-head'));
    expect(await near(at)).toEqual([]);
    expect(await near(moved)).toEqual([made.id]);
    const stored = (cloud.engine.find('orgs', { query: { _id: made.id } }) as unknown as OrgDoc[])[0];
    expect(stored.geo).toEqual({ type: 'Point', coordinates: [moved.lng, moved.lat] });
  });

  it('updates opening hours and refuses a station head outside their station', async () => {
    const pt = points.find((p) => p.parentId === 'haian-01-001')!;
    const r = ok(await org({ action: 'update', id: pt._id, hours: '周一至周五 9:00-17:00' }, 'org-head'));
    expect(r.hours).toBe('周一至周五 9:00-17:00');
    const other = points.find((p) => p.parentId === 'haian-01-002')!;
    expect(await org({ action: 'update', id: other._id, hours: 'x' }, 'org-head')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('org: a new node’s code follows its parent’s, and a mistaken node is retired by an admin above it', () => {
  beforeAll(() => {
    person(cloud, 'org-inst', [['instituteAdmin', 'haian-01']], '钱所长');
    person(cloud, 'org-center', [['centerAdmin', 'haian']], '孙主任');
    person(cloud, 'org-head-2', [['stationHead', 'haian-01-002']], '周站长');
  });
  const point = (name: string, extra: Partial<OrgApi['create']['req']> = {}) => ({
    action: 'create' as const,
    parentId: 'haian-01-001',
    name,
    location: { lat: 32.551, lng: 120.451 },
    kind: 'square' as const,
    ...extra,
  });
  const code = async (p: Promise<Result<unknown>>) => {
    const r = await p;
    return r.ok ? 'ok' : r.error.code;
  };

  it('refuses a code in another institute’s space, and stores nothing', async () => {
    const before = cloud.engine.count('orgs', {});
    const r = await org(point('占号的点', { id: 'haian-02-024' }), 'org-head');
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(r.ok ? '' : r.error.message).toMatch(/haian-01-001-01/);
    for (const id of ['haian-01-001', 'haian-01-001-', 'haian-01-001-1', 'haian-01-001-01-01', 'haian-01-0010-01'])
      expect([id, await code(org(point('占号的点', { id }), 'org-head'))]).toEqual([id, 'INVALID_ARGUMENT']);
    expect(
      await code(org({ action: 'create', parentId: 'haian-01', name: '占号的站', id: 'haian-02-024' }, 'org-inst')),
    ).toBe('INVALID_ARGUMENT');
    expect(cloud.engine.count('orgs', {})).toBe(before);
  });

  it('takes a code that follows the parent, and generates one in the county’s pattern when none is given', async () => {
    expect(ok(await org(point('编码对的点', { id: 'haian-01-001-88' }), 'org-head')).id).toBe('haian-01-001-88');
    expect(ok(await org(point('自动编码的点'), 'org-head')).id).toMatch(/^haian-01-001-[0-9]{2,3}$/);
    expect(ok(await org({ action: 'create', parentId: 'haian-01', name: '新建的实践站' }, 'org-inst')).id).toMatch(
      /^haian-01-[0-9]{3}$/,
    );
    expect(ok(await org({ action: 'create', parentId: 'haian', name: '新建的实践所' }, 'org-center')).id).toMatch(
      /^haian-[0-9]{2}$/,
    );
  });

  it('retires a mistaken point: hidden from lists, pickers and searches, its record kept, its name free again', async () => {
    const made = ok(await org(point('建错了的点', { location: { lat: 32.7605, lng: 120.8705 } }), 'org-head'));
    const retire = { action: 'retire' as const, parentId: 'haian-01-001', id: made.id, reason: '建错了' };
    // Nobody outside the station, and nobody naming the wrong parent.
    expect(await code(org(retire, 'org-head-2'))).toBe('FORBIDDEN');
    expect(await code(org(retire, 'org-villager'))).toBe('FORBIDDEN');
    expect(await code(org({ ...retire, parentId: 'haian-01' }, 'org-inst'))).toBe('NOT_FOUND');
    ok(await org(retire, 'org-head'));
    ok(await org(retire, 'org-head')); // a retry answers it again
    const tree = ok(await org({ action: 'tree', id: 'haian-01-001', pageSize: 50 }));
    const all = [...(tree.children ?? []).map((c) => c.id)];
    for (let p = tree.nextPage; p !== null;) {
      const next = ok(await org({ action: 'tree', id: 'haian-01-001', pageSize: 50, page: p }));
      all.push(...(next.children ?? []).map((c) => c.id));
      p = next.nextPage;
    }
    expect(all).not.toContain(made.id);
    expect(ok(await org({ action: 'nearby', lat: 32.7605, lng: 120.8705, radiusM: 300 })).points).toEqual([]);
    expect(ok(await org({ action: 'search', q: '建错了的点' })).nodes).toEqual([]);
    const stored = (cloud.engine.find('orgs', { query: { _id: made.id } }) as unknown as OrgDoc[])[0];
    expect(stored.retired).toMatchObject({ by: 'org-head', reason: '建错了', name: '建错了的点' });
    // The right one can be made under the same name; the retired one cannot be edited or built under.
    expect(ok(await org(point('建错了的点'), 'org-head')).id).not.toBe(made.id);
    // Out of the tree, it is in nobody's scope: not even the center edits it.
    for (const who of ['org-head', 'org-center'])
      expect(await code(org({ action: 'update', id: made.id, hours: '全天' }, who))).toBe('FORBIDDEN');
  });

  it('refuses retiring a node with live children or active orders, and a head retiring their own station', async () => {
    expect(
      await code(org({ action: 'retire', parentId: 'haian-01', id: 'haian-01-002', reason: '建错了' }, 'org-head-2')),
    ).toBe('FORBIDDEN');
    expect(
      await code(org({ action: 'retire', parentId: 'haian-01', id: 'haian-01-002', reason: '建错了' }, 'org-inst')),
    ).toBe('FAILED_PRECONDITION');
    const busy = ok(await org(point('有需求的点'), 'org-head'));
    cloud.engine.insert('orders', [
      {
        _id: 'retire-busy-order',
        requestKey: 'retire:busy',
        pointId: busy.id,
        path: ['haian', 'haian-01', 'haian-01-001'],
        status: 'open',
      },
    ]);
    const retire = { action: 'retire' as const, parentId: 'haian-01-001', id: busy.id, reason: '建错了' };
    expect(await code(org(retire, 'org-head'))).toBe('FAILED_PRECONDITION');
    cloud.engine.update('orders', {
      query: { _id: 'retire-busy-order' },
      update: { $set: { status: 'closed' } },
      multi: false,
      upsert: false,
      merge: true,
    });
    expect(await code(org(retire, 'org-head'))).toBe('ok');
  });
});
