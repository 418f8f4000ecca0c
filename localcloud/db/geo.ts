/**
 * Geo queries as CloudBase runs them on a 2dsphere index: GeoJSON stored as the SDK serialises
 * `db.Geo.*` (`{ type: 'Point', coordinates: [lng, lat] }`), distances on the sphere in metres
 * (MongoDB's radius, 6378.1 km), `$centerSphere` radii in radians. Polygons are tested in
 * longitude/latitude, which matches the sphere for polygons a few kilometres across (a village, a
 * county); MongoDB's geodesic edges differ only for continent-sized ones.
 */
import { resolve } from 'mingo/util';
import { TcbError } from './errors';
import type { Doc } from './ejson';

export const EARTH_RADIUS_M = 6378100;

type Pos = [number, number];
interface Geometry {
  type: string;
  coordinates: unknown;
}

const bad = (why: string): TcbError => new TcbError('DATABASE_INVALID_OPERRATOR', why);

function isPos(p: unknown): p is Pos {
  return (
    Array.isArray(p) &&
    p.length >= 2 &&
    typeof p[0] === 'number' &&
    typeof p[1] === 'number' &&
    Math.abs(p[0]) <= 180 &&
    Math.abs(p[1]) <= 90
  );
}

/** A valid GeoJSON geometry of a kind 2dsphere indexes, or null. */
export function asGeometry(v: unknown): Geometry | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const g = v as Geometry;
  const c = g.coordinates;
  const ring = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.every(isPos);
  const line = (l: unknown) => Array.isArray(l) && l.length >= 2 && l.every(isPos);
  const poly = (p: unknown) => Array.isArray(p) && p.length >= 1 && p.every(ring);
  const ok =
    (g.type === 'Point' && isPos(c)) ||
    (g.type === 'LineString' && line(c)) ||
    (g.type === 'Polygon' && poly(c)) ||
    (g.type === 'MultiPoint' && Array.isArray(c) && c.every(isPos)) ||
    (g.type === 'MultiLineString' && Array.isArray(c) && c.every(line)) ||
    (g.type === 'MultiPolygon' && Array.isArray(c) && c.every(poly));
  return ok ? g : null;
}

/** Great-circle distance in metres (haversine). */
export function distance(a: Pos, b: Pos): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function inRing(p: Pos, ring: Pos[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(p: Pos, a: Pos, b: Pos): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (Math.abs(cross) > 1e-12) return false;
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** In the polygon (its outer ring, outside its holes); a point on the boundary counts as inside. */
function inPolygon(p: Pos, rings: Pos[][]): boolean {
  const onEdge = (r: Pos[]) => r.some((a, i) => i > 0 && onSegment(p, r[i - 1], a));
  if (onEdge(rings[0])) return true;
  if (!inRing(p, rings[0])) return false;
  return !rings.slice(1).some((hole) => inRing(p, hole) && !onEdge(hole));
}

function segmentsCross(a: Pos, b: Pos, c: Pos, d: Pos): boolean {
  const o = (p: Pos, q: Pos, r: Pos) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const [o1, o2, o3, o4] = [o(a, b, c), o(a, b, d), o(c, d, a), o(c, d, b)];
  if (o1 !== o2 && o3 !== o4) return true;
  return onSegment(c, a, b) || onSegment(d, a, b) || onSegment(a, c, d) || onSegment(b, c, d);
}

/** The geometry as points, segments and polygons, so every pair of kinds is answered the same way. */
function parts(g: Geometry): { points: Pos[]; lines: Pos[][]; polygons: Pos[][][] } {
  const c = g.coordinates as never;
  switch (g.type) {
    case 'Point':
      return { points: [c], lines: [], polygons: [] };
    case 'MultiPoint':
      return { points: c, lines: [], polygons: [] };
    case 'LineString':
      return { points: [], lines: [c], polygons: [] };
    case 'MultiLineString':
      return { points: [], lines: c, polygons: [] };
    case 'Polygon':
      return { points: [], lines: [], polygons: [c] };
    default:
      return { points: [], lines: [], polygons: c };
  }
}

const edges = (line: Pos[]): [Pos, Pos][] => line.slice(1).map((p, i) => [line[i], p]);

/** Whether two geometries share any point ($geoIntersects). */
export function intersects(a: Geometry, b: Geometry): boolean {
  const pa = parts(a);
  const pb = parts(b);
  const vertices = (p: typeof pa): Pos[] => [...p.points, ...p.lines.flat(), ...p.polygons.map((r) => r[0]).flat()];
  const segs = (p: typeof pa) => [...p.lines.flatMap(edges), ...p.polygons.flatMap((r) => r.flatMap(edges))];
  const pointIn = (pt: Pos, p: typeof pa) =>
    p.points.some((q) => q[0] === pt[0] && q[1] === pt[1]) ||
    p.lines.some((l) => edges(l).some(([x, y]) => onSegment(pt, x, y))) ||
    p.polygons.some((r) => inPolygon(pt, r));
  if (vertices(pa).some((pt) => pointIn(pt, pb)) || vertices(pb).some((pt) => pointIn(pt, pa))) return true;
  const sb = segs(pb);
  return segs(pa).some(([x, y]) => sb.some(([u, v]) => segmentsCross(x, y, u, v)));
}

/** Whether `g` lies wholly inside the polygon(s) of `area` ($geoWithin with $geometry). */
function within(g: Geometry, area: Geometry): boolean {
  const polys = parts(area).polygons;
  if (polys.length === 0) throw bad('$geoWithin needs a Polygon or MultiPolygon');
  const p = parts(g);
  const all: Pos[] = [...p.points, ...p.lines.flat(), ...p.polygons.flat(2)];
  return all.every((pt) => polys.some((r) => inPolygon(pt, r)));
}

/** The point a stored geometry is measured from for distances: a point, or the first vertex. */
function anchor(g: Geometry): Pos {
  const p = parts(g);
  return p.points[0] ?? p.lines[0]?.[0] ?? p.polygons[0][0][0];
}

function fieldGeometry(o: unknown, selector: string): Geometry | null {
  return asGeometry(resolve(o as Record<string, unknown>, selector));
}

export interface NearSpec {
  field: string;
  center: Pos;
  min: number;
  max: number;
}

/** The `{ $nearSphere: { $geometry, $minDistance, $maxDistance } }` the SDK's geoNear() sends. */
export function nearSpec(field: string, value: unknown): NearSpec {
  const v = (value ?? {}) as Doc;
  const g = asGeometry(v.$geometry);
  if (!g || g.type !== 'Point') throw bad('$nearSphere needs a GeoJSON Point in $geometry');
  const num = (x: unknown, fallback: number) => {
    if (x === undefined || x === null) return fallback;
    if (typeof x !== 'number' || x < 0) throw bad('$minDistance and $maxDistance must be non-negative numbers');
    return x;
  };
  return {
    field,
    center: g.coordinates as Pos,
    min: num(v.$minDistance, 0),
    max: num(v.$maxDistance, Number.POSITIVE_INFINITY),
  };
}

export function distanceTo(doc: Doc, near: NearSpec): number | null {
  const g = fieldGeometry(doc, near.field);
  return g ? distance(anchor(g), near.center) : null;
}

const $geoWithin = (selector: string, value: unknown) => {
  const v = (value ?? {}) as Doc;
  if (Array.isArray(v.$centerSphere)) {
    const [center, radius] = v.$centerSphere as [unknown, unknown];
    if (!isPos(center) || typeof radius !== 'number' || radius < 0) {
      throw bad('$centerSphere needs [[lng, lat], radius in radians]');
    }
    const metres = radius * EARTH_RADIUS_M;
    return (o: unknown) => {
      const g = fieldGeometry(o, selector);
      if (!g) return false;
      const p = parts(g);
      const all: Pos[] = [...p.points, ...p.lines.flat(), ...p.polygons.flat(2)];
      return all.every((pt) => distance(pt, center) <= metres);
    };
  }
  const area = asGeometry(v.$geometry);
  if (!area) throw bad('$geoWithin needs $geometry (a Polygon or MultiPolygon) or $centerSphere');
  return (o: unknown) => {
    const g = fieldGeometry(o, selector);
    return !!g && within(g, area);
  };
};

const $geoIntersects = (selector: string, value: unknown) => {
  const area = asGeometry(((value ?? {}) as Doc).$geometry);
  if (!area) throw bad('$geoIntersects needs a GeoJSON $geometry');
  return (o: unknown) => {
    const g = fieldGeometry(o, selector);
    return !!g && intersects(g, area);
  };
};

/** The distance range of $nearSphere; the engine sorts by distance (see nearOf). */
const $nearSphere = (selector: string, value: unknown) => {
  const near = nearSpec(selector, value);
  return (o: unknown) => {
    const d = distanceTo(o as Doc, near);
    return d !== null && d >= near.min && d <= near.max;
  };
};

export const GEO_QUERY_OPS = { $geoWithin, $geoIntersects, $nearSphere, $near: $nearSphere };

/** The query's $nearSphere condition (top level or under $and), if any: such a query sorts by distance. */
export function nearOf(query: Doc): NearSpec | null {
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) {
        const n = nearOf(sub as Doc);
        if (n) return n;
      }
    } else if (!k.startsWith('$') && v && typeof v === 'object' && ('$nearSphere' in v || '$near' in v)) {
      const o = v as Doc;
      return nearSpec(k, o.$nearSphere ?? o.$near);
    }
  }
  return null;
}

export function noGeoIndex(coll: string, field: string): TcbError {
  return new TcbError(
    'DATABASE_REQUEST_FAILED',
    `unable to find index for $geoNear query: ${coll} has no 2dsphere index on ${field}`,
  );
}
