/**
 * The points supermarket (积分超市): the station's goods (and its institute's shared shop), a
 * redemption that moves balance and stock together or not at all, and the pickup code checked once.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { INTEGRAL_LIMITS, type IntegralApi } from '../../../typings/integral';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import { decidePickup, shopsFor } from '../../shared/integral/domain/decide';
import { toItem, toRedemption, type ItemDoc } from '../../shared/integral/domain/model';
import * as store from '../../shared/integral/store';
import * as shop from '../../shared/integral/store-shop';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import {
  managersAt,
  mustHousehold,
  page,
  paged,
  PAGE_SIZE,
  pickupAction,
  placeOf,
  recordId,
  requestId,
} from './common';

type A = IntegralApi;

export const items = action<A['items']['req'], A['items']['res']>({
  input: z.strictObject({ stationId: z.optional(recordId) }),
  access: managersAt(),
  async run(ctx, _req, scope) {
    const place = await placeOf(ctx, scope);
    // A villager sees what they can buy; the shop's manager (naming it) sees its whole shelf, off ones too.
    const managing = scope !== undefined;
    const shops = managing ? [place.id] : shopsFor(place.path);
    return { items: (await shop.itemsOf(shops, !managing)).map(toItem) };
  },
});

export const saveItem = action<A['saveItem']['req'], A['saveItem']['res']>({
  input: z.strictObject({
    stationId: recordId,
    id: z.optional(recordId),
    name: z.string().check(z.trim(), z.minLength(2), z.maxLength(INTEGRAL_LIMITS.itemNameMax)),
    points: z.number().check(z.int(), z.minimum(1), z.maximum(100_000)),
    addStock: z.number().check(z.int(), z.minimum(-10_000), z.maximum(10_000)),
    pickupPlace: z.string().check(z.trim(), z.minLength(2), z.maxLength(INTEGRAL_LIMITS.placeMax)),
    picture: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
    enabled: z.optional(z.boolean()),
  }),
  access: { roles: ['stationHead', 'instituteAdmin'], at: (req) => req.stationId },
  async run(ctx, req, { path }) {
    if (req.id) {
      const old = await shop.findItem(req.id);
      if (!old || old.stationId !== req.stationId) throw new AppError('NOT_FOUND', '没有找到这件商品。');
    }
    await checkText(ctx.openid, [req.name, req.pickupPlace], 1);
    const doc: ItemDoc = {
      _id: req.id ?? randomBytes(16).toString('hex'),
      stationId: req.stationId,
      path,
      name: req.name,
      picture: req.picture ?? null,
      points: req.points,
      stock: 0,
      pickupPlace: req.pickupPlace,
      enabled: req.enabled ?? true,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    return toItem(await shop.saveItem(doc, req.addStock, !req.id));
  },
});

export const redeem = action<A['redeem']['req'], A['redeem']['res']>({
  input: z.strictObject({ itemId: recordId, requestId }),
  access: 'self',
  async run(ctx, req) {
    const caller = await ctx.caller();
    if (!caller.householdId) throw new AppError('FAILED_PRECONDITION', '请先在“我的”里绑定您家的户号，再来兑换。');
    // The household, its station (the caller's, as a guess) and the settings in one round trip.
    const [household, settings] = await Promise.all([
      mustHousehold(caller.householdId, caller.stationId),
      store.loadSettings(),
    ]);
    if (!household.memberOpenids.includes(ctx.openid)) throw new AppError('FORBIDDEN', '您不是这一户的成员。');
    const requestKey = `${household.id}:${ctx.openid}:${req.requestId}`;
    const id = createHash('sha256').update(requestKey).digest('hex').slice(0, 32);
    const r = await shop.redeem({ id, requestKey, itemId: req.itemId, household }, settings, ctx.now);
    return toRedemption(r);
  },
});

export const redemptions = action<A['redemptions']['req'], A['redemptions']['res']>({
  input: z.strictObject({ scope: z.enum(['mine', 'station']), stationId: z.optional(recordId), page }),
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.stationId,
    only: (req) => req.scope === 'station',
    forbidden: '只有站长能查看本站的兑换记录。',
  },
  async run(ctx, req, scope) {
    const caller = await ctx.caller();
    const p = req.page ?? 0;
    let where: Record<string, unknown>;
    if (req.scope === 'mine') {
      if (!caller.householdId) return { redemptions: [], nextPage: null };
      where = { householdId: caller.householdId };
    } else {
      where = { shopPath: scope.orgId, status: 'reserved' };
    }
    const docs = await shop.listRedemptions(where, p * PAGE_SIZE, PAGE_SIZE + 1);
    const { items: list, nextPage } = paged(docs, p);
    return { redemptions: list.map(toRedemption), nextPage };
  },
});

export const verifyPickup = pickupAction<A['verifyPickup']['req'], A['verifyPickup']['res']>({
  input: z.strictObject({ code: z.string().check(z.trim(), z.regex(/^\d{8}$/, 'an 8-digit pickup code')) }),
  as: ['manager'],
  async run(ctx, _req, { doc, caller }) {
    const r = await shop.changeRedemption(doc._id, (cur) => decidePickup(cur, caller, ctx.now));
    return toRedemption(r);
  },
});
