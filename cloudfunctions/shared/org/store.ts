/** The orgs collection: the network's nodes. */
import { database, listOf } from '../runtime/sdk';
import { withTransaction, type TxOps } from '../runtime/transaction';
import type { OrgDoc } from './domain/model';
import { distanceM } from './domain/geo';
import type { Level } from '../../../typings/domain';

const orgs = () => database().collection('orgs');
const _ = () => database().command;
/**
 * Live nodes only, for the searches by name. A retired node leaves the tree itself (no parent, no
 * ancestors, no place: see retireOrg), so children, subtree counts and nearby searches need no filter
 * and keep their index-only counts.
 */
const live = () => ({ retired: _().exists(false) });

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

/** How many nodes of `level` each parent has, over every node of that level under any of `under`: one aggregate. */
export async function countsByParent(under: string[], level: Level): Promise<Map<string, number>> {
  if (under.length === 0) return new Map();
  const $ = database().command.aggregate;
  const r = (await orgs()
    .aggregate()
    .match({ ancestors: _().in(under), level })
    .group({ _id: '$parentId', n: $.sum(1) })
    .limit(10_000)
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

/**
 * Nodes of a level within radiusM of a point, nearest first, with their distance: one geoNear read on
 * the 2dsphere index, answering only the nodes shown. The distance is computed on MongoDB's sphere,
 * so it is the one geoNear filtered by.
 */
export async function within(
  level: Level,
  center: { lat: number; lng: number },
  radiusM: number,
  limit: number,
): Promise<{ doc: OrgDoc; distanceM: number }[]> {
  const db = database();
  const found = await listOf<OrgDoc>(
    orgs()
      .where({
        level,
        geo: _().geoNear({ geometry: db.Geo.Point(center.lng, center.lat), maxDistance: radiusM }),
      })
      .limit(limit),
  );
  return found
    .filter((doc) => doc.lat !== null && doc.lng !== null)
    .map((doc) => ({
      doc,
      distanceM: Math.min(radiusM, Math.round(distanceM(center, { lat: doc.lat!, lng: doc.lng! }))),
    }));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function searchByName(
  q: string,
  level: Level | undefined,
  under: string | undefined,
  skip: number,
  limit: number,
) {
  const where: Record<string, unknown> = {
    ...live(),
    name: database().RegExp({ regexp: escapeRegExp(q), options: 'i' }),
  };
  if (level) where.level = level;
  if (under) where.ancestors = under;
  return listOf<OrgDoc>(orgs().where(where).orderBy('order', 'asc').skip(skip).limit(limit));
}

export async function childByName(parentId: string, name: string): Promise<OrgDoc | undefined> {
  const [doc] = await listOf<OrgDoc>(orgs().where({ parentId, name }).limit(1));
  return doc;
}

export async function nextOrder(parentId: string): Promise<number> {
  // Retired children count too: their codes stay taken.
  const [last] = await listOf<OrgDoc>(
    orgs()
      .where(_().or([{ parentId }, { 'retired.parentId': parentId }]))
      .orderBy('order', 'desc')
      .limit(1),
  );
  return last ? last.order + 1 : 0;
}

/** How many live children a node has. */
export async function liveChildren(parentId: string): Promise<number> {
  return ((await orgs().where({ parentId }).count()) as { total: number }).total;
}

/** What a retire answers: the node retired now or before, refused (why), or no such node. */
export type RetireOutcome =
  { doc: OrgDoc; retired: 'now' | 'before' } | { doc: OrgDoc; refusal: string } | { doc: undefined };

/**
 * Retires a live node (org.retire): it keeps its code and records, and leaves the tree — its parent,
 * ancestors and place move into `retired` — so no list, count or nearby search finds it.
 *
 * Settled by the database against whatever attaches to the node at the same moment (an order, a child,
 * an activity: each writes the node in its own transaction through attachTo). One transaction reads the
 * node, asks `inUse` (after that read, outside the snapshot: the live counts), and writes the node. An
 * attaching transaction that committed before the count is counted; one that commits after it has
 * written the node since this transaction began, so this write conflicts and the whole is tried again
 * (and counts it); one that writes the node after this commit conflicts in its turn, and reads the node
 * retired when tried again. Never both: no live record is left on a retired node, and no half-retired
 * node is left by a failure (no mark to undo).
 */
export async function retireOrg(
  id: string,
  fields: { by: string; at: Date; reason: string; name: (doc: OrgDoc) => string },
  inUse: (doc: OrgDoc) => Promise<string | null>,
): Promise<RetireOutcome> {
  return withTransaction<RetireOutcome>(async (tx) => {
    const doc = await tx.get<OrgDoc>('orgs', id);
    if (!doc) return { doc: undefined };
    if (doc.retired) return { doc, retired: 'before' };
    const refusal = await inUse(doc);
    if (refusal) return { doc, refusal };
    const retired = {
      at: fields.at,
      by: fields.by,
      reason: fields.reason,
      name: doc.name,
      parentId: doc.parentId,
      ancestors: doc.ancestors,
      geo: doc.geo,
    };
    const name = fields.name(doc);
    // Set whole: an update spreads plain objects into dotted fields, which cannot land on null or [].
    await tx.update('orgs', id, {
      retired: _().set(retired),
      name,
      parentId: _().set(null),
      ancestors: _().set([]),
      geo: _().set(null),
      updatedAt: fields.at,
    });
    return {
      doc: { ...doc, retired, name, parentId: null, ancestors: [], geo: null, updatedAt: fields.at },
      retired: 'now',
    };
  });
}

/**
 * The fence a record attaching to a node takes, inside the transaction that writes the record (an
 * order posted at a station or point, a child node, an activity): the node as the transaction sees it,
 * undefined when missing or retired; else its `attached` counter is raised — a write that always
 * changes the node — so this transaction and a concurrent retire (retireOrg) conflict, and the one tried
 * again sees the other's outcome.
 */
export async function attachTo(tx: TxOps, id: string, at: Date): Promise<OrgDoc | undefined> {
  const doc = await tx.get<OrgDoc>('orgs', id);
  if (!doc || doc.retired) return undefined;
  await tx.update('orgs', id, { attached: _().inc(1), attachedAt: at });
  return doc;
}

/**
 * Inserts a new node under its parent, the parent fenced (attachTo) in the same transaction: a parent
 * retired at the same moment refuses the child (false) instead of leaving it under a retired node.
 */
export async function insertOrgUnder(doc: OrgDoc, parentId: string, at: Date): Promise<boolean> {
  return withTransaction(async (tx) => {
    if (!(await attachTo(tx, parentId, at))) return false;
    await tx.add('orgs', doc);
    return true;
  });
}

export async function updateOrg(id: string, fields: Partial<OrgDoc>): Promise<void> {
  // An update spreads a plain object into dotted fields, which cannot land on a null geo: set it whole.
  const data = 'geo' in fields ? { ...fields, geo: _().set(fields.geo ?? null) } : fields;
  await orgs().doc(id).update({ data });
}

/** The stations under a node (their names and places: the nearest to an order, the big screen's map). */
export async function stationsUnder(orgId: string): Promise<OrgDoc[]> {
  return listOf<OrgDoc>(
    orgs()
      .where({ ancestors: orgId, level: 'station' })
      .field({ _id: true, name: true, lat: true, lng: true, parentId: true, level: true })
      .limit(1000),
  );
}

/**
 * The stations under a node nearest a point, nearest first: one geoNear read on the 2dsphere index,
 * answering only the `limit` shown (stations without a place are not found this way).
 */
export async function stationsNear(orgId: string, at: { lat: number; lng: number }, limit: number): Promise<OrgDoc[]> {
  const db = database();
  return listOf<OrgDoc>(
    orgs()
      .where({ ancestors: orgId, level: 'station', geo: _().geoNear({ geometry: db.Geo.Point(at.lng, at.lat) }) })
      .field({ _id: true, lat: true, lng: true, parentId: true, level: true })
      .limit(limit),
  );
}

/** Turns a station's automatic dispatch on or off. */
export async function setAutoDispatch(stationId: string, on: boolean): Promise<void> {
  await orgs()
    .doc(stationId)
    .update({ data: { autoDispatch: on } });
}
