/**
 * 2dsphere indexes: each is an SQLite R*Tree of the bounding boxes of the documents' geometries, keyed
 * by the row's rowid. A geo condition with a bounded area (geoNear with a maxDistance, geoWithin,
 * geoIntersects) reads only the documents whose boxes meet the area's box, as a 2dsphere index narrows
 * MongoDB's scan; mingo then decides exactly. The index also vouches that the field holds GeoJSON, and
 * geoNear / $geoNear need one, as in MongoDB.
 *
 * A compound 2dsphere index ({ status: 1, ownerOrgId: 1, geo: '2dsphere' }, as MongoDB allows) keeps
 * each other field as one more R*Tree dimension, holding a 24-bit hash of the field's index key
 * (the span of the hashes when the field holds an array): an equality or $in on those fields is then
 * answered by the tree too, so a geo query reads only the documents that also match them, as
 * MongoDB's compound index scans only the keys with those values. Hashes may collide; mingo decides.
 *
 * geoNear without a sort of its own walks outwards (rounds): it reads the documents within a box,
 * then the next, wider box without the ones read, and stops once it holds skip + limit matches
 * within a distance every unread document lies beyond, as MongoDB's $nearSphere does.
 */
import type Database from 'better-sqlite3';
import { encodeKey, valuesAtPath } from './keys';
import { extractConditions, type Plan, type Round } from './planner';
import { fromStorage, type Doc } from './ejson';
import { invalid } from './errors';
import { EARTH_RADIUS_M, asGeometry, noGeoIndex, type NearSpec } from './geo';
import { checkGeo, quote, type IndexDef, type Row } from './model';

type Box = [minLng: number, maxLng: number, minLat: number, maxLat: number];

const table = (coll: string, name: string) => quote(`g:${coll}:${name}`);
/** The index's 2dsphere field. */
export const geoFieldOf = (def: IndexDef): string => Object.keys(def.keys).find((f) => def.keys[f] === '2dsphere')!;
/** Its other fields, each one more dimension of the tree (an R*Tree has at most five). */
const othersOf = (def: IndexDef): string[] => Object.keys(def.keys).filter((f) => def.keys[f] !== '2dsphere');
const MAX_OTHERS = 3;

/** A key's 24-bit hash: exact in the tree's 32-bit floats, so equal keys meet exactly. */
function hashOfKey(key: Buffer): number {
  let h = 0x811c9dc5;
  for (const b of key) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0) & 0xffffff;
}
const hashOf = (v: unknown): number => hashOfKey(encodeKey(v));

/** The first radius a walk reads, in metres, and how much wider each next round is. */
const FIRST_RADIUS_M = 500;
const WIDER = 2;

function boxOf(points: number[][]): Box | null {
  if (points.length === 0) return null;
  const lngs = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
}

/** Every position of a GeoJSON geometry, however deeply its coordinates nest. */
function positions(coords: unknown): number[][] {
  if (Array.isArray(coords) && typeof coords[0] === 'number') return [coords as number[]];
  return Array.isArray(coords) ? coords.flatMap(positions) : [];
}

/** The box of the points within `metres` of a centre; null near a pole or across the antimeridian. */
function circleBox(center: number[], metres: number): Box | null {
  const dLat = (metres / EARTH_RADIUS_M) * (180 / Math.PI);
  if (Math.abs(center[1]) + dLat >= 89) return null;
  const dLng = dLat / Math.cos((center[1] * Math.PI) / 180);
  if (Math.abs(center[0]) + dLng >= 180) return null;
  // A hair wider than the circle: the box must hold every point the exact test will accept.
  const pad = 1e-9;
  return [center[0] - dLng - pad, center[0] + dLng + pad, center[1] - dLat - pad, center[1] + dLat + pad];
}

/**
 * A box every point of which is within `metres` of the centre (inside the circle): a walk need not
 * read it when geoNear's minDistance is `metres`. Null when too small to matter.
 */
function insideBox(center: number[], metres: number): Box | null {
  if (metres <= 0) return null;
  const dLat = ((0.65 * metres) / EARTH_RADIUS_M) * (180 / Math.PI);
  if (Math.abs(center[1]) + dLat >= 89) return null;
  // The widest degree of longitude in the box (nearest the equator) keeps every corner inside.
  const dLng = dLat / Math.cos((Math.max(0, Math.abs(center[1]) - dLat) * Math.PI) / 180);
  if (Math.abs(center[0]) + dLng >= 180) return null;
  return [center[0] - dLng, center[0] + dLng, center[1] - dLat, center[1] + dLat];
}

/** The box a geo condition confines its matches to, or null when it does not confine them. */
function areaOf(cond: Doc): Box | null {
  const near = (cond.$nearSphere ?? cond.$near) as Doc | undefined;
  if (near) {
    const g = asGeometry(near.$geometry);
    const max = near.$maxDistance;
    return g && typeof max === 'number' ? circleBox(g.coordinates as number[], max) : null;
  }
  const within = cond.$geoWithin as Doc | undefined;
  if (within && Array.isArray(within.$centerSphere)) {
    const [center, radius] = within.$centerSphere as [number[], number];
    return Array.isArray(center) && typeof radius === 'number' ? circleBox(center, radius * EARTH_RADIUS_M) : null;
  }
  const g = asGeometry(((within ?? cond.$geoIntersects) as Doc | undefined)?.$geometry);
  return g ? boxOf(positions(g.coordinates)) : null;
}

/** The query's geo conditions on a field, at the top level or under $and. */
function geoConditions(query: Doc): [string, Doc][] {
  const out: [string, Doc][] = [];
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) for (const sub of v) out.push(...geoConditions(sub as Doc));
    else if (!k.startsWith('$') && v && typeof v === 'object' && !Array.isArray(v)) out.push([k, v as Doc]);
  }
  return out;
}

export class GeoIndexes {
  private readonly defs = new Map<string, IndexDef[]>();

  constructor(private readonly db: Database.Database) {}

  of(coll: string): IndexDef[] {
    return this.defs.get(coll) ?? [];
  }

  /** geoNear and $geoNear need a 2dsphere index on the field, as in MongoDB. */
  require(coll: string, field: string): void {
    if (!this.of(coll).some((g) => geoFieldOf(g) === field)) throw noGeoIndex(coll, field);
  }

  /** An index declared before: its R*Tree is made (and filled) when an earlier version did not have one. */
  load(coll: string, def: IndexDef): void {
    this.defs.set(coll, [...this.of(coll), def]);
    const exists = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(`g:${coll}:${def.name}`);
    if (!exists) this.build(coll, def);
  }

  create(coll: string, def: IndexDef): void {
    const geoFields = Object.values(def.keys).filter((d) => d === '2dsphere').length;
    if (geoFields !== 1 || othersOf(def).length > MAX_OTHERS || def.unique) {
      throw invalid(
        `2dsphere index ${def.name} must have one 2dsphere field, at most ${MAX_OTHERS} others, and not be unique`,
      );
    }
    if (this.of(coll).some((g) => g.name === def.name)) return;
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO _indexes (coll, name, spec) VALUES (?, ?, ?)')
        .run(coll, def.name, JSON.stringify(def));
      this.build(coll, def);
    })();
    this.defs.set(coll, [...this.of(coll), def]);
  }

  private build(coll: string, def: IndexDef): void {
    const dims = othersOf(def)
      .map((_f, i) => `, min${i}, max${i}`)
      .join('');
    this.db.exec(
      `CREATE VIRTUAL TABLE ${table(coll, def.name)} USING rtree(id, minLng, maxLng, minLat, maxLat${dims})`,
    );
    // All at once: better-sqlite3 cannot prepare or run another statement while one is being iterated.
    const rows = this.db.prepare(`SELECT rowid, body FROM ${quote(`c:${coll}`)}`).all() as (Row & { rowid: number })[];
    for (const row of rows) this.put(coll, def, row.rowid, fromStorage(row.body));
  }

  /** Drops the named geo index; false when it is not one. */
  drop(coll: string, name: string): boolean {
    if (!this.of(coll).some((g) => g.name === name)) return false;
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${table(coll, name)}`);
      this.db.prepare('DELETE FROM _indexes WHERE coll = ? AND name = ?').run(coll, name);
    })();
    this.defs.set(
      coll,
      this.of(coll).filter((g) => g.name !== name),
    );
    return true;
  }

  private rowid(coll: string, id: Buffer): number | undefined {
    const r = this.db.prepare(`SELECT rowid FROM ${quote(`c:${coll}`)} WHERE id = ?`).get(id) as
      { rowid: number } | undefined;
    return r?.rowid;
  }

  private put(coll: string, def: IndexDef, rowid: number, doc: Doc): void {
    checkGeo(coll, [def], doc);
    const pts = valuesAtPath(doc, geoFieldOf(def)).values.flatMap((v) => {
      const g = asGeometry(v);
      return g ? positions(g.coordinates) : [];
    });
    const box = boxOf(pts);
    this.db.prepare(`DELETE FROM ${table(coll, def.name)} WHERE id = ?`).run(rowid);
    if (!box) return; // sparse, as MongoDB's 2dsphere (v2) indexes: no geometry, no entry
    const spans = othersOf(def).flatMap((f) => {
      const hs = valuesAtPath(doc, f).values.map(hashOf);
      return [Math.min(...hs), Math.max(...hs)];
    });
    const marks = new Array(5 + spans.length).fill('?').join(', ');
    this.db.prepare(`INSERT INTO ${table(coll, def.name)} VALUES (${marks})`).run(rowid, ...box, ...spans);
  }

  /** After a document is written (inside the write's SQLite transaction): its boxes, checked. */
  written(coll: string, id: Buffer, doc: Doc): void {
    const defs = this.of(coll);
    if (defs.length === 0) return;
    const rowid = this.rowid(coll, id);
    if (rowid !== undefined) for (const def of defs) this.put(coll, def, rowid, doc);
  }

  /** Before a document is deleted. */
  deleting(coll: string, id: Buffer): void {
    const defs = this.of(coll);
    if (defs.length === 0) return;
    const rowid = this.rowid(coll, id);
    for (const def of defs) this.db.prepare(`DELETE FROM ${table(coll, def.name)} WHERE id = ?`).run(rowid);
  }

  /** The index serving a geo condition on `field`: the one whose other fields the query pins most. */
  private pick(coll: string, field: string, query: Doc): { def: IndexDef; where: string; params: number[] } | null {
    const conds = extractConditions(query);
    let best: { def: IndexDef; where: string; params: number[]; score: number } | null = null;
    for (const def of this.of(coll)) {
      if (geoFieldOf(def) !== field) continue;
      const where: string[] = [];
      const params: number[] = [];
      othersOf(def).forEach((f, i) => {
        const eq = conds.get(f)?.eq;
        if (!eq) return;
        const hs = [...new Set(eq.map((k) => hashOfKey(k)))];
        where.push(`(${hs.map(() => `(g.min${i} <= ? AND g.max${i} >= ?)`).join(' OR ')})`);
        for (const h of hs) params.push(h, h);
      });
      // The narrowest wins; among equals, the index with fewer fields (a plain one before a compound).
      const score = where.length * 10 - othersOf(def).length;
      if (!best || score > best.score) best = { def, where: where.map((w) => ` AND ${w}`).join(''), params, score };
    }
    return best;
  }

  private sql(coll: string, def: IndexDef, where: string): string {
    return (
      `SELECT c.id AS id, c.body AS body FROM ${quote(`c:${coll}`)} c JOIN ${table(coll, def.name)} g ` +
      `ON c.rowid = g.id WHERE 1${where}`
    );
  }

  /** Candidates for a query whose geo condition confines it to an area on an indexed field; else null. */
  plan(coll: string, query: Doc): Plan | null {
    for (const [field, cond] of geoConditions(query)) {
      const area = areaOf(cond);
      const use = area && this.pick(coll, field, query);
      if (!area || !use) continue;
      return {
        sql: this.sql(coll, use.def, `${use.where} AND ${meets('g')}`),
        params: [...use.params, ...meetsParams(area)],
        ordered: false,
        mayRepeat: false,
        index: `${use.def.name} (2dsphere)`,
      };
    }
    return null;
  }

  /**
   * geoNear's walk outwards from its centre, when a 2dsphere index serves the field: each round's
   * plan reads the candidates in a wider box, leaving out those an earlier round read; after it, every
   * match within `within` metres has been read. Null when no 2dsphere index serves the field.
   */
  walk(coll: string, query: Doc, near: NearSpec): Plan | null {
    const use = this.pick(coll, near.field, query);
    if (!use) return null;
    const index = `${use.def.name} (2dsphere, nearest first)`;
    const plan = (cond: string, params: number[]): Plan => ({
      sql: this.sql(coll, use.def, `${use.where}${cond}`),
      params: [...use.params, ...params],
      ordered: false,
      mayRepeat: false,
      index,
    });
    function* rounds(): Generator<Round> {
      // Inside minDistance's circle nothing matches: what lies wholly in a box within it is never read.
      const hole = insideBox(near.center, near.min);
      let read: Box | null = null;
      let r = Math.max(FIRST_RADIUS_M, near.min);
      for (;;) {
        const outer = circleBox(near.center, Math.min(r, near.max));
        const skip = read ? ` AND NOT ${meets('g')}` : hole ? ` AND NOT ${inside('g')}` : '';
        const skipParams = read ? meetsParams(read) : hole ? insideParams(hole) : [];
        if (!outer) {
          // Near a pole or the antimeridian, or wider than a hemisphere: the rest at once.
          yield { plan: plan(skip, skipParams), within: Number.POSITIVE_INFINITY };
          return;
        }
        const within = Math.min(r, near.max);
        yield { plan: plan(` AND ${meets('g')}${skip}`, [...meetsParams(outer), ...skipParams]), within };
        if (r >= near.max) return;
        read = outer;
        r *= WIDER;
      }
    }
    return { sql: '', params: [], ordered: false, mayRepeat: false, index, rounds };
  }
}

/** The SQL test that an entry's box meets a box (its four numbers from meetsParams). */
const meets = (g: string) => `(${g}.minLng <= ? AND ${g}.maxLng >= ? AND ${g}.minLat <= ? AND ${g}.maxLat >= ?)`;
const meetsParams = (b: Box): number[] => [b[1], b[0], b[3], b[2]];
/** The SQL test that an entry's box lies wholly in a box (its four numbers from insideParams). */
const inside = (g: string) => `(${g}.minLng >= ? AND ${g}.maxLng <= ? AND ${g}.minLat >= ? AND ${g}.maxLat <= ?)`;
const insideParams = (b: Box): number[] => [b[0], b[1], b[2], b[3]];
