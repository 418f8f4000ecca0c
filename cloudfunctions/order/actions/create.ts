/**
 * 百姓点单: a villager posts a wish (or blows the whistle). The text passes the content check before
 * anything is stored; a per-day limit stops floods; a similar open order close by is shown first; the
 * client's requestId makes a retried post one order.
 */
import { randomBytes } from 'node:crypto';
import type { OrderApi } from '../../../typings/api';
import { CATEGORIES } from '../../../typings/domain';
import { CONTACT_PHONE, ORDER_KIND_INFO, ORDER_KINDS, ORDER_LIMITS, type OrderSettings } from '../../../typings/order';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import { refundToday, spendToday } from '../../shared/runtime/counters';
import * as z from 'zod/mini';
import { cleanText } from '../../shared/runtime/validate';
import { location as locationSchema, orgId } from '../../shared/org/schemas';
import { pathOf, plausibleLocation, type OrgDoc } from '../../shared/org/domain/model';
import { distanceM } from '../../shared/org/domain/geo';
import { attachTo, getOrg } from '../../shared/org/store';
import { posted } from '../../shared/order/domain/decide';
import { toSummary, type OrderDoc } from '../../shared/order/domain/model';
import { photoIds, startPhotoChecks } from '../../shared/order/photos';
import * as store from '../../shared/order/store';
import { viewerOf } from './common';
import { tell } from '../../shared/order/tell';

type A = OrderApi;

const km = (m: number) => Math.round(m / 1000);
const stationGone = () => new AppError('FAILED_PRECONDITION', '您绑定的村（社区）已撤销，请在“我的”里重新绑定。');
const pointGone = () => new AppError('NOT_FOUND', '没有找到这个实践点。');

/**
 * Where the order is: a practice point, a location given, or the requester's station. A point of
 * the requester's own station, or a point or location within `placeWithinM` of it: a villager asks for
 * help where they live, not in another town.
 */
async function placeOf(
  req: { pointId?: string; location?: { lat: number; lng: number } },
  station: OrgDoc,
  settings: OrderSettings,
  /** The point named (req.pointId), read by the caller beside its other reads. */
  point: OrgDoc | undefined,
) {
  const tooFar = (at: { lat: number | null; lng: number | null }) =>
    station.lat === null ||
    station.lng === null ||
    at.lat === null ||
    at.lng === null ||
    distanceM({ lat: station.lat, lng: station.lng }, { lat: at.lat, lng: at.lng }) > settings.placeWithinM;
  if (req.pointId) {
    const p = point;
    if (!p || p.level !== 'point' || p.retired) throw pointGone();
    if (p.parentId !== station._id && tooFar(p))
      throw new AppError(
        'INVALID_ARGUMENT',
        `这个实践点离您的村（社区）超过${km(settings.placeWithinM)}公里，请选附近的实践点。`,
        ["pointId: outside the requester's area"],
      );
    return { pointId: p._id, pointName: p.name, lat: p.lat, lng: p.lng };
  }
  if (req.location) {
    if (!plausibleLocation(req.location.lat, req.location.lng))
      throw new AppError('INVALID_ARGUMENT', '位置不对，请重新选择。', ['location']);
    if (station.lat !== null && station.lng !== null && tooFar(req.location))
      throw new AppError(
        'INVALID_ARGUMENT',
        `这个位置离您的村（社区）超过${km(settings.placeWithinM)}公里，请在村里重新选一下。`,
        ["location: outside the requester's area"],
      );
    return { pointId: null, pointName: null, ...req.location };
  }
  return { pointId: null, pointName: null, lat: station.lat ?? null, lng: station.lng ?? null };
}

/** The point a request names, if any (read beside the caller's other reads). */
const pointOf = (req: { pointId?: string }) => (req.pointId ? getOrg(req.pointId) : Promise.resolve(undefined));

export const similar = action<A['similar']['req'], A['similar']['res']>({
  input: z.strictObject({
    category: z.enum(CATEGORIES),
    pointId: z.optional(orgId),
    location: z.optional(locationSchema),
  }),
  access: 'self',
  async run(ctx, req) {
    // For a villager about to post (the same check create makes): titles and statuses only, as the
    // public notice of needs that FixMyStreet shows before a report.
    // The caller, the settings and the point named together; then the caller's station; then the search.
    const [caller, settings, point] = await Promise.all([ctx.caller(), store.loadSettings(), pointOf(req)]);
    if (!caller.stationId) throw new AppError('FAILED_PRECONDITION', '请先在“我的”里绑定您所在的村（社区）。');
    const station = await getOrg(caller.stationId);
    if (!station) throw new AppError('FAILED_PRECONDITION', '您绑定的村（社区）已不存在，请重新绑定。');
    const place = await placeOf(req, station, settings, point);
    if (place.lat === null || place.lng === null) return { orders: [] };
    const found = await store.similarNear(req.category, { lat: place.lat, lng: place.lng }, settings.similarWithinM);
    return { orders: found.slice(0, 5).map((f) => ({ ...toSummary(f.doc), distanceM: f.distanceM })) };
  },
});

export const create = action<A['create']['req'], A['create']['res']>({
  input: z.strictObject({
    kind: z.enum(ORDER_KINDS),
    category: z.enum(CATEGORIES),
    title: z.string().check(...cleanText, z.minLength(ORDER_LIMITS.titleMin), z.maxLength(ORDER_LIMITS.titleMax)),
    content: z.string().check(...cleanText, z.minLength(ORDER_LIMITS.contentMin), z.maxLength(ORDER_LIMITS.contentMax)),
    pointId: z.optional(orgId),
    location: z.optional(locationSchema),
    photos: photoIds,
    contact: z.optional(
      z.strictObject({
        phone: z.optional(z.string().check(z.regex(CONTACT_PHONE, 'a phone number'))),
        address: z.optional(z.string().check(...cleanText, z.maxLength(ORDER_LIMITS.addressMax))),
      }),
    ),
    requestId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'a request id of 8–64 letters, digits, _ or -')),
    acknowledgeSimilar: z.optional(z.boolean()),
  }),
  access: 'self',
  async run(ctx, req) {
    const requestKey = `${ctx.openid}:${req.requestId}`;
    // Reads in two round trips before anything is written: the retry key, the caller, the settings, the
    // point named and who the caller is as a viewer; then their station, with the text check beside it.
    const [done, caller, settings, point, viewer] = await Promise.all([
      store.findByRequestKey(requestKey),
      ctx.caller(),
      store.loadSettings(),
      pointOf(req),
      viewerOf(ctx),
    ]);
    if (done) return { id: done._id, status: done.status };

    if (!caller.stationId)
      throw new AppError('FAILED_PRECONDITION', '请先在“我的”里绑定您所在的村（社区），再来点单。');
    const text = checkText(ctx.openid, [req.title, req.content, req.contact?.address], 3).then(
      () => undefined,
      (e: unknown) => e,
    );
    const station = await getOrg(caller.stationId);
    if (!station) throw new AppError('FAILED_PRECONDITION', '您绑定的村（社区）已不存在，请重新绑定。');
    if (station.retired) throw stationGone();
    if (!ORDER_KIND_INFO[req.kind].categories.includes(req.category)) {
      throw new AppError('INVALID_ARGUMENT', '这类需求不能选这个服务类别。', ['category: not for this kind']);
    }
    const refused = await text;
    if (refused) throw refused;
    const place = await placeOf(req, station, settings, point);

    if (!req.acknowledgeSimilar && place.lat !== null && place.lng !== null) {
      const near = await store.similarNear(req.category, { lat: place.lat, lng: place.lng }, settings.similarWithinM);
      if (near.length > 0) {
        throw new AppError(
          'FAILED_PRECONDITION',
          '附近已经有人发布了相同类别的需求，请先看看是不是同一件事。',
          near.slice(0, 5).map((n) => `similar: ${n.doc._id} ${n.distanceM}m`),
        );
      }
    }

    // The day's post is this request's: a concurrent retry of it does not spend another, and is answered
    // by the order the first one makes (the requestKey's unique index).
    if (!(await spendToday('orders', ctx.openid, settings.dailyLimit, ctx.now, requestKey))) {
      const made = await store.findByRequestKey(requestKey);
      if (made) return { id: made._id, status: made.status };
      throw new AppError('RATE_LIMITED', `每人每天最多发布${settings.dailyLimit}个需求，明天再来吧。`);
    }
    let saved: OrderDoc;
    try {
      const doc = posted(
        {
          _id: randomBytes(16).toString('hex'),
          requestKey,
          kind: req.kind,
          category: req.category,
          title: req.title,
          content: req.content,
          photos: await startPhotoChecks(req.photos ?? [], ctx.openid, 3),
          ...place,
          stationId: station._id,
          stationName: station.name,
          path: pathOf(station),
          requester: { openid: ctx.openid, name: caller.name, householdId: caller.householdId },
          contact: req.contact ? { phone: req.contact.phone ?? null, address: req.contact.address ?? null } : null,
        },
        viewer,
        settings,
        ctx.now,
      );
      // The order's station and point fenced in its transaction: one retired at the same moment refuses it.
      saved = await store.insertOrder(doc, async (tx) => {
        if (!(await attachTo(tx, station._id, ctx.now))) throw stationGone();
        if (place.pointId && !(await attachTo(tx, place.pointId, ctx.now))) throw pointGone();
      });
      // A concurrent retry made it (and the day's post was spent for both once, by the key).
      if (saved._id !== doc._id) return { id: saved._id, status: saved.status };
    } catch (e) {
      // The insert may have landed with its answer lost: only a post that made no order is given back.
      const landed = await store.findByRequestKey(requestKey).catch(() => undefined);
      if (landed) return { id: landed._id, status: landed.status };
      await refundToday('orders', ctx.openid, ctx.now, requestKey);
      throw e;
    }
    await tell(saved, ctx.now);
    return { id: saved._id, status: saved.status };
  },
});
