/** Admin edits within scope: station heads their points, institutes their stations, the center all. */
import type { OrgApi } from '../../../typings/api';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { action, type ActionContext } from '../../shared/runtime/handler';
import { AppError, isDuplicateKey } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';

import * as z from 'zod/mini';
import { cleanText } from '../../shared/runtime/validate';
import {
  childCode,
  childLevel,
  followsParent,
  pathOf,
  plausibleLocation,
  toNode,
  type OrgDoc,
} from '../../shared/org/domain/model';
import * as store from '../../shared/org/store';
import { countActiveAt } from '../../shared/order/store';
import { geoPoint } from '../../shared/org/domain/geo';
import { location, orgId, pointKind } from '../../shared/org/schemas';

type A = OrgApi;
const name = z.string().check(...cleanText, z.minLength(2), z.maxLength(40));
const shortText = (max: number) => z.string().check(...cleanText, z.maxLength(max));

function checkLocation(loc: { lat: number; lng: number } | null | undefined): void {
  if (loc && !plausibleLocation(loc.lat, loc.lng)) {
    throw new AppError('INVALID_ARGUMENT', '位置不对：请在地图上重新选一下。', ['location: not within mainland China']);
  }
}

const sameNode = (doc: OrgDoc, req: A['create']['req']) =>
  doc.name === req.name &&
  (doc.address ?? undefined) === req.address &&
  (doc.kind ?? undefined) === req.kind &&
  (doc.hours ?? undefined) === req.hours &&
  (req.location ? doc.lat === req.location.lat && doc.lng === req.location.lng : doc.lat === null);

export const create = action<A['create']['req'], A['create']['res']>({
  input: z.strictObject({
    parentId: orgId,
    id: z.optional(orgId),
    name,
    location: z.optional(location),
    address: z.optional(shortText(80)),
    kind: z.optional(pointKind),
    hours: z.optional(shortText(60)),
  }),
  // Station heads and above, under a node of their scope.
  access: { roles: DISPATCHER_ROLES, at: (req) => req.parentId },
  async run(ctx: ActionContext, req, { node }) {
    // The parent was read by the access check.
    const parent = node ?? (await store.getOrg(req.parentId));
    if (!parent || parent.retired) throw new AppError('NOT_FOUND');
    const level = childLevel(parent.level);
    if (!level) throw new AppError('FAILED_PRECONDITION', '实践点下面不能再建下一级。');
    if (level === 'point' && (!req.location || !req.kind)) {
      throw new AppError('INVALID_ARGUMENT', '新建实践点要选好位置和类型。', [
        'location and kind are required for a point',
      ]);
    }
    if (req.id !== undefined && !followsParent(req.id, parent._id, level)) {
      const example = childCode(parent._id, level, 1);
      throw new AppError('INVALID_ARGUMENT', `编码要跟着上级的编码来，比如 ${example}；不填就自动编号。`, [
        `id: not under ${parent._id} (e.g. ${example})`,
      ]);
    }
    checkLocation(req.location);
    // The text check and the first free place under the parent together (one round trip).
    const [, first] = await Promise.all([
      checkText(ctx.openid, [req.name, req.address, req.hours], 1),
      store.nextOrder(parent._id),
    ]);

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const order = attempt === 0 ? first : await store.nextOrder(parent._id);
      const doc: OrgDoc = {
        _id: req.id ?? childCode(parent._id, level, order + 1),
        level,
        name: req.name,
        parentId: parent._id,
        ancestors: pathOf(parent),
        order,
        lat: req.location?.lat ?? null,
        lng: req.location?.lng ?? null,
        geo: geoPoint(req.location?.lat ?? null, req.location?.lng ?? null),
        address: req.address ?? null,
        kind: level === 'point' ? (req.kind ?? null) : null,
        hours: req.hours ?? null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      try {
        // The parent fenced in the same transaction: retired at the same moment, it takes no child.
        if (!(await store.insertOrgUnder(doc, parent._id, ctx.now))) throw new AppError('NOT_FOUND');
        return toNode(doc);
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // A retry of this very request finds its node already made: answer it again.
        const sibling = await store.childByName(parent._id, req.name);
        if (sibling && (!req.id || sibling._id === req.id) && sameNode(sibling, req)) return toNode(sibling);
        if (sibling || req.id) throw new AppError('CONFLICT', '同一上级下已经有这个名称或编码了。');
        // Someone else took the generated code at the same moment: try the next one.
      }
    }
    throw new AppError('CONFLICT');
  },
});

export const update = action<A['update']['req'], A['update']['res']>({
  input: z.strictObject({
    id: orgId,
    name: z.optional(name),
    location: z.optional(z.nullable(location)),
    address: z.optional(z.nullable(shortText(80))),
    kind: z.optional(pointKind),
    hours: z.optional(z.nullable(shortText(60))),
  }),
  access: { roles: DISPATCHER_ROLES, at: (req) => req.id },
  async run(ctx, req) {
    const doc = await store.getOrg(req.id);
    if (!doc || doc.retired) throw new AppError('NOT_FOUND');
    if (req.kind && doc.level !== 'point')
      throw new AppError('INVALID_ARGUMENT', '只有实践点有类型。', ['kind: points only']);
    if (req.location === null && doc.level === 'point')
      throw new AppError('INVALID_ARGUMENT', '实践点必须有位置。', ['location: required for a point']);
    checkLocation(req.location);
    await checkText(ctx.openid, [req.name, req.address, req.hours], 1);
    const fields: Partial<OrgDoc> = { updatedAt: ctx.now };
    if (req.name !== undefined) fields.name = req.name;
    if (req.location !== undefined) {
      fields.lat = req.location?.lat ?? null;
      fields.lng = req.location?.lng ?? null;
      fields.geo = geoPoint(fields.lat, fields.lng);
    }
    if (req.address !== undefined) fields.address = req.address;
    if (req.kind !== undefined) fields.kind = req.kind;
    if (req.hours !== undefined) fields.hours = req.hours;
    try {
      await store.updateOrg(doc._id, fields);
    } catch (e) {
      if (isDuplicateKey(e)) throw new AppError('CONFLICT', '同一上级下已经有这个名称了。');
      throw e;
    }
    return toNode({ ...doc, ...fields });
  },
});

/**
 * Retires a mistaken node: an admin whose scope covers its parent (a station head their points, an
 * institute admin their stations, the center its institutes — never the node's own head). Retired,
 * not deleted: the node leaves pickers, lists and searches, and keeps its code, its name (with a mark,
 * so the right node can be made under the same name) and every record that names it. Refused while it
 * has live children (retire them first) or active orders (finish or move them first).
 */
export const retire = action<A['retire']['req'], A['retire']['res']>({
  input: z.strictObject({
    parentId: orgId,
    id: orgId,
    reason: z.string().check(...cleanText, z.minLength(2), z.maxLength(60)),
  }),
  access: { roles: DISPATCHER_ROLES, at: (req) => req.parentId },
  async run(ctx, req) {
    const doc = await store.getOrg(req.id);
    const parentId = doc?.retired ? doc.retired.parentId : doc?.parentId;
    if (!doc || parentId !== req.parentId || doc.level === 'center') throw new AppError('NOT_FOUND');
    if (doc.retired) return toNode(doc); // a retry: already done
    // Checked and retired in one transaction that conflicts with any order, child or activity attaching
    // to the node at the same moment (store.retireOrg): a refusal leaves the node as it was.
    const outcome = await store.retireOrg(
      doc._id,
      {
        by: ctx.openid,
        at: ctx.now,
        reason: req.reason,
        // The name is freed for the right node: the retired one keeps it with a mark and its own code.
        name: (d) => `${d.name}（已撤销 ${d._id}）`,
      },
      inUse,
    );
    if (!outcome.doc) throw new AppError('NOT_FOUND');
    if ('refusal' in outcome) throw new AppError('FAILED_PRECONDITION', outcome.refusal, ['in use']);
    return toNode(outcome.doc);
  },
});

/** Why a node cannot be retired yet (in plain Chinese), or null: live children, active orders, coming activities. */
async function inUse(doc: OrgDoc): Promise<string | null> {
  // Both counts in one round trip (each after the transaction's read of the node, as retireOrg needs).
  const [children, active] = await Promise.all([store.liveChildren(doc._id), countActiveAt(doc._id)]);
  if (children > 0) return '下面还有没撤销的下级，请先撤销下级。';
  if (active > 0) return '这里还有没办完的需求，请先办完或转走。';
  return null;
}
