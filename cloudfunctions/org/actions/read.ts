/** Reading the network: open to anyone signed in (the network is public information). */
import type { OrgApi, TreeNode } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { LEVELS } from '../../../typings/domain';
import { toNode, type OrgDoc } from '../../shared/org/domain/model';
import * as store from '../../shared/org/store';
import { lat, level, lng, orgId, page } from '../../shared/org/schemas';

type A = OrgApi;

async function mustGet(id: string): Promise<OrgDoc> {
  const doc = await store.getOrg(id);
  if (!doc) throw new AppError('NOT_FOUND', '没有找到这个实践阵地。');
  return doc;
}

export const get = action<A['get']['req'], A['get']['res']>({
  input: z.strictObject({ id: z.optional(orgId) }),
  access: 'public',
  async run(_ctx, { id }) {
    const doc = id ? await mustGet(id) : await store.getRoot();
    if (!doc) throw new AppError('NOT_FOUND', '还没有导入实践中心的组织架构。');
    const [institutes, stations, points, ancestors] = await Promise.all([
      store.countUnder(doc._id, 'institute'),
      store.countUnder(doc._id, 'station'),
      store.countUnder(doc._id, 'point'),
      store.getOrgs(doc.ancestors),
    ]);
    return {
      ...toNode(doc),
      counts: { institutes, stations, points },
      path: doc.ancestors.map((a) => ({ id: a, name: ancestors.get(a)?.name ?? a })),
      ...(doc.level === 'station' ? { autoDispatch: !!doc.autoDispatch } : {}),
    };
  },
});

const MAX_PAGE = 50;
const GRANDCHILDREN = 50;

export const tree = action<A['tree']['req'], A['tree']['res']>({
  input: z.strictObject({
    id: orgId,
    depth: z.optional(z.int().check(z.gte(1), z.lte(2))),
    page,
    pageSize: z.optional(z.int().check(z.gte(1), z.lte(MAX_PAGE))),
  }),
  access: 'public',
  async run(_ctx, { id, depth = 1, page: p = 0, pageSize = 20 }) {
    // Two round trips: the node and its page of children together, then every count and the
    // grandchildren together (the grandchildren's own children counted by their level under the page).
    const [found, kids] = await Promise.all([store.getOrg(id), store.children(id, p * pageSize, pageSize + 1)]);
    if (!found) throw new AppError('NOT_FOUND', '没有找到这个实践阵地。');
    const doc = found;
    const more = kids.length > pageSize;
    const shown = kids.slice(0, pageSize);
    const ids = shown.map((k) => k._id);
    const below = LEVELS[LEVELS.indexOf(doc.level) + 3];
    const [counts, grand, grandCounts] = await Promise.all([
      store.childCounts([id, ...ids]),
      depth === 2 ? store.childrenOf(ids, GRANDCHILDREN) : Promise.resolve(new Map<string, OrgDoc[]>()),
      depth === 2 && below && ids.length > 0
        ? store.countsByParent(ids, below)
        : Promise.resolve(new Map<string, number>()),
    ]);
    const children: TreeNode[] = shown.map((k) => ({
      ...toNode(k),
      childCount: counts.get(k._id) ?? 0,
      ...(depth === 2
        ? { children: (grand.get(k._id) ?? []).map((g) => ({ ...toNode(g), childCount: grandCounts.get(g._id) ?? 0 })) }
        : {}),
    }));
    return { ...toNode(doc), childCount: counts.get(id) ?? 0, children, nextPage: more ? p + 1 : null };
  },
});

/** The ten-minute circle is small; 20 km is the most a villager would be offered. */
const MAX_RADIUS_M = 20_000;

export const nearby = action<A['nearby']['req'], A['nearby']['res']>({
  input: z.strictObject({
    lat,
    lng,
    radiusM: z.number().check(z.gt(0), z.lte(MAX_RADIUS_M)),
    limit: z.optional(z.int().check(z.gte(1), z.lte(50))),
  }),
  access: 'public',
  async run(_ctx, { lat: la, lng: ln, radiusM, limit = 20 }) {
    const found = await store.within('point', { lat: la, lng: ln }, radiusM, limit);
    const stations = await store.getOrgs(found.map((f) => f.doc.parentId ?? ''));
    return {
      points: found.map(({ doc, distanceM }) => ({
        ...toNode(doc),
        distanceM,
        stationName: stations.get(doc.parentId ?? '')?.name ?? '',
      })),
    };
  },
});

export const nearestStations = action<A['nearestStations']['req'], A['nearestStations']['res']>({
  input: z.strictObject({ lat, lng, limit: z.optional(z.int().check(z.gte(1), z.lte(20))) }),
  access: 'public',
  async run(_ctx, { lat: la, lng: ln, limit = 5 }) {
    // Nearest first on the geo index; a county is well inside 60 km.
    const shown = await store.within('station', { lat: la, lng: ln }, 60_000, limit);
    const towns = await store.getOrgs(shown.map(({ doc }) => doc.parentId ?? ''));
    return {
      stations: shown.map(({ doc, distanceM }) => ({
        ...toNode(doc),
        distanceM,
        parentName: towns.get(doc.parentId ?? '')?.name ?? '',
      })),
    };
  },
});

const PAGE_SIZE = 20;

export const search = action<A['search']['req'], A['search']['res']>({
  input: z.strictObject({
    q: z.string().check(z.trim(), z.minLength(1), z.maxLength(30)),
    level: z.optional(level),
    under: z.optional(orgId),
    page,
  }),
  access: 'public',
  async run(_ctx, { q, level: lv, under, page: p = 0 }) {
    const found = await store.searchByName(q, lv, under, p * PAGE_SIZE, PAGE_SIZE + 1);
    const shown = found.slice(0, PAGE_SIZE);
    const parents = await store.getOrgs(shown.map((d) => d.parentId ?? ''));
    return {
      nodes: shown.map((d) => ({ ...toNode(d), parentName: parents.get(d.parentId ?? '')?.name ?? '' })),
      nextPage: found.length > PAGE_SIZE ? p + 1 : null,
    };
  },
});
