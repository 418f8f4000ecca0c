/** The orgs collection: the network's nodes. */
import { database, listOf } from '../runtime/sdk';
import type { OrgDoc } from './domain/model';
import { boundingBox, distanceM } from './domain/geo';
import type { Level } from '../../../typings/domain';

const orgs = () => database().collection('orgs');
const _ = () => database().command;

export async function getOrg(id: string): Promise<OrgDoc | undefined> {
  const [doc] = await listOf<OrgDoc>(orgs().where({ _id: id }).limit(1));
  return doc;
}

export async function getOrgs(ids: string[]): Promise<Map<string, OrgDoc>> {
  const out = new Map<string, OrgDoc>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    const page = await listOf<OrgDoc>(
      orgs()
        .where({ _id: _().in(unique.slice(i, i + 100)) })
        .limit(100),
    );
    for (const d of page) out.set(d._id, d);
  }
  return out;
}

export async function getRoot(): Promise<OrgDoc | undefined> {
  const [doc] = await listOf<OrgDoc>(orgs().where({ level: 'center' }).limit(1));
  return doc;
}

export async function countUnder(id: string, level: Level): Promise<number> {
  const r = (await orgs().where({ ancestors: id, level }).count()) as { total: number };
  return r.total;
}

export async function children(parentId: string, skip: number, limit: number): Promise<OrgDoc[]> {
  return listOf<OrgDoc>(orgs().where({ parentId }).orderBy('order', 'asc').skip(skip).limit(limit));
}

/** How many children each of the given nodes has, in one round trip. */
export async function childCounts(parentIds: string[]): Promise<Map<string, number>> {
  if (parentIds.length === 0) return new Map();
  const $ = database().command.aggregate;
  const r = (await orgs()
    .aggregate()
    .match({ parentId: _().in(parentIds) })
    .group({ _id: '$parentId', n: $.sum(1) })
    // Aggregations answer 20 results unless told otherwise (reported of CloudBase; the local cloud does the same).
    .limit(1000)
    .end()) as { list: { _id: string; n: number }[] };
  return new Map(r.list.map((g) => [g._id, g.n]));
}

/** The children of many nodes, up to `each` per parent, in order. */
export async function childrenOf(parentIds: string[], each: number): Promise<Map<string, OrgDoc[]>> {
  const out = new Map<string, OrgDoc[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length === 0) return out;
  for (let skip = 0; ; skip += 1000) {
    const page = await listOf<OrgDoc>(
      orgs()
        .where({ parentId: _().in(parentIds), order: _().lt(each) })
        .orderBy('order', 'asc')
        .skip(skip)
        .limit(1000),
    );
    for (const d of page) {
      const list = out.get(d.parentId ?? '');
      if (list && list.length < each) list.push(d);
    }
    if (page.length < 1000) break;
  }
  return out;
}

/** Nodes of a level within radiusM of a point, nearest first, with their distance. */
export async function within(
  level: Level,
  center: { lat: number; lng: number },
  radiusM: number,
): Promise<{ doc: OrgDoc; distanceM: number }[]> {
  const box = boundingBox(center, radiusM);
  const found: { doc: OrgDoc; distanceM: number }[] = [];
  for (let skip = 0; ; skip += 1000) {
    const page = await listOf<OrgDoc>(
      orgs()
        .where({
          level,
          lat: _().gte(box.minLat).and(_().lte(box.maxLat)),
          lng: _().gte(box.minLng).and(_().lte(box.maxLng)),
        })
        .skip(skip)
        .limit(1000),
    );
    for (const doc of page) {
      if (doc.lat === null || doc.lng === null) continue;
      const d = distanceM(center, { lat: doc.lat, lng: doc.lng });
      if (d <= radiusM) found.push({ doc, distanceM: d });
    }
    if (page.length < 1000) break;
  }
  return found
    .sort((a, b) => a.distanceM - b.distanceM || a.doc._id.localeCompare(b.doc._id))
    .map((f) => ({ doc: f.doc, distanceM: Math.round(f.distanceM) }));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function searchByName(
  q: string,
  level: Level | undefined,
  under: string | undefined,
  skip: number,
  limit: number,
) {
  const where: Record<string, unknown> = { name: database().RegExp({ regexp: escapeRegExp(q), options: 'i' }) };
  if (level) where.level = level;
  if (under) where.ancestors = under;
  return listOf<OrgDoc>(orgs().where(where).orderBy('order', 'asc').skip(skip).limit(limit));
}

export async function childByName(parentId: string, name: string): Promise<OrgDoc | undefined> {
  const [doc] = await listOf<OrgDoc>(orgs().where({ parentId, name }).limit(1));
  return doc;
}

export async function nextOrder(parentId: string): Promise<number> {
  const [last] = await listOf<OrgDoc>(orgs().where({ parentId }).orderBy('order', 'desc').limit(1));
  return last ? last.order + 1 : 0;
}

export async function insertOrg(doc: OrgDoc): Promise<void> {
  await orgs().add({ data: doc });
}

export async function updateOrg(id: string, fields: Partial<OrgDoc>): Promise<void> {
  await orgs().doc(id).update({ data: fields });
}

/** The stations under a node (their places, for the nearest to an order). */
export async function stationsUnder(orgId: string): Promise<OrgDoc[]> {
  return listOf<OrgDoc>(
    orgs()
      .where({ ancestors: orgId, level: 'station' })
      .field({ _id: true, lat: true, lng: true, parentId: true, level: true })
      .limit(1000),
  );
}

/** Turns a station's automatic dispatch on or off. */
export async function setAutoDispatch(stationId: string, on: boolean): Promise<void> {
  await orgs()
    .doc(stationId)
    .update({ data: { autoDispatch: on } });
}
