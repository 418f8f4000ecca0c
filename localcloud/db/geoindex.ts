/**
 * 2dsphere indexes: each is an SQLite R*Tree of the bounding boxes of the documents' geometries, keyed
 * by the row's rowid. A geo condition with a bounded area (geoNear with a maxDistance, geoWithin,
 * geoIntersects) reads only the documents whose boxes meet the area's box, as a 2dsphere index narrows
 * MongoDB's scan; mingo then decides exactly. The index also vouches that the field holds GeoJSON, and
 * geoNear / $geoNear need one, as in MongoDB.
 */
import type Database from 'better-sqlite3';
import { valuesAtPath } from './keys';
import type { Plan } from './planner';
import { fromStorage, type Doc } from './ejson';
import { invalid } from './errors';
import { EARTH_RADIUS_M, asGeometry, noGeoIndex } from './geo';
import { checkGeo, quote, type IndexDef, type Row } from './model';

type Box = [minLng: number, maxLng: number, minLat: number, maxLat: number];

const table = (coll: string, name: string) => quote(`g:${coll}:${name}`);
const fieldOf = (def: IndexDef) => Object.keys(def.keys)[0];

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
    if (!this.of(coll).some((g) => fieldOf(g) === field)) throw noGeoIndex(coll, field);
  }

  /** An index declared before: its R*Tree is made (and filled) when an earlier version did not have one. */
  load(coll: string, def: IndexDef): void {
    this.defs.set(coll, [...this.of(coll), def]);
    const exists = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(`g:${coll}:${def.name}`);
    if (!exists) this.build(coll, def);
  }

  create(coll: string, def: IndexDef): void {
    if (Object.keys(def.keys).length !== 1 || def.unique) {
      throw invalid(`2dsphere index ${def.name} must have one field and not be unique`);
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
    this.db.exec(`CREATE VIRTUAL TABLE ${table(coll, def.name)} USING rtree(id, minLng, maxLng, minLat, maxLat)`);
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
    const pts = valuesAtPath(doc, fieldOf(def)).values.flatMap((v) => {
      const g = asGeometry(v);
      return g ? positions(g.coordinates) : [];
    });
    const box = boxOf(pts);
    this.db.prepare(`DELETE FROM ${table(coll, def.name)} WHERE id = ?`).run(rowid);
    if (box) this.db.prepare(`INSERT INTO ${table(coll, def.name)} VALUES (?, ?, ?, ?, ?)`).run(rowid, ...box);
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

  /** Candidates for a query whose geo condition confines it to an area on an indexed field; else null. */
  plan(coll: string, query: Doc): Plan | null {
    for (const [field, cond] of geoConditions(query)) {
      const def = this.of(coll).find((g) => fieldOf(g) === field);
      const area = def ? areaOf(cond) : null;
      if (!def || !area) continue;
      return {
        sql:
          `SELECT c.id AS id, c.body AS body FROM ${quote(`c:${coll}`)} c JOIN ${table(coll, def.name)} g ` +
          `ON c.rowid = g.id WHERE g.minLng <= ? AND g.maxLng >= ? AND g.minLat <= ? AND g.maxLat >= ?`,
        params: [area[1], area[0], area[3], area[2]],
        ordered: false,
        mayRepeat: false,
        index: `${def.name} (2dsphere)`,
      };
    }
    return null;
  }
}
