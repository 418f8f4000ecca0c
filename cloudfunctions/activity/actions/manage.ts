/**
 * Organising: a station head (or an institute or center admin within scope) creates an activity at a
 * practice point or station, edits it, or cancels it with a reason — and everyone signed up is told.
 */
import type { ActivityApi } from '../../../typings/activity';
import { ACTIVITY_LIMITS, AUDIENCES, DEFAULT_ACTIVITY_SETTINGS } from '../../../typings/activity';
import { CATEGORIES } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { text } from '../../shared/runtime/validate';
import { orgId } from '../../shared/org/schemas';
import { pathOf } from '../../shared/org/domain/model';
import { geoPoint } from '../../shared/org/domain/geo';
import { getOrg } from '../../shared/org/store';
import { newActivityId, newSecret } from '../../shared/activity/domain/code';
import { checkTimes, decideCancel, decideEdit } from '../../shared/activity/domain/decide';
import { toActivity, type ActivityDoc } from '../../shared/activity/domain/model';
import * as store from '../../shared/activity/store';
import { tellCancelled, tellRescheduled } from '../../shared/activity/tell';
import { activityAction, activityId, isoTime, mustActivity, orFail, ORGANISERS, requestId } from './common';

type A = ActivityApi;
const capacity = z.int().check(z.gte(1), z.lte(ACTIVITY_LIMITS.capacityMax));
const title = text(ACTIVITY_LIMITS.titleMax);
const description = z.string().check(z.trim(), z.maxLength(ACTIVITY_LIMITS.descriptionMax));

export const create = action<A['create']['req'], A['create']['res']>({
  input: z.strictObject({
    pointId: orgId,
    title,
    category: z.enum(CATEGORIES),
    description: z.optional(description),
    startAt: isoTime,
    endAt: isoTime,
    capacity,
    signupRequired: z.boolean(),
    audience: z.optional(z.enum(AUDIENCES)),
    requestId: z.optional(requestId),
  }),
  // Organisers in scope of the point (or station) where it happens.
  access: { roles: ORGANISERS, at: (req) => req.pointId },
  async run(ctx, req) {
    const startAt = new Date(req.startAt);
    const endAt = new Date(req.endAt);
    orFail(checkTimes(startAt, endAt, ctx.now) ?? {});
    const place = await getOrg(req.pointId);
    if (!place || place.retired || (place.level !== 'point' && place.level !== 'station'))
      throw new AppError('INVALID_ARGUMENT', '活动要办在实践点或实践站。', ['pointId: not a point or station']);
    const station = place.level === 'station' ? place : await getOrg(place.parentId ?? '');
    const id = newActivityId();
    const doc: ActivityDoc = {
      _id: id,
      requestKey: req.requestId ? `${ctx.openid}:${req.requestId}` : `${ctx.openid}:${id}`,
      title: req.title,
      category: req.category,
      description: req.description ?? '',
      pointId: place._id,
      pointName: place.name,
      stationId: station?._id ?? place._id,
      stationName: station?.name ?? place.name,
      path: pathOf(place),
      lat: place.lat,
      lng: place.lng,
      geo: geoPoint(place.lat, place.lng),
      address: place.address,
      startAt,
      endAt,
      capacity: req.capacity,
      signedUp: 0,
      seatsLeft: req.capacity,
      signupRequired: req.signupRequired,
      audience: req.audience ?? 'volunteers',
      status: 'open',
      cancelReason: null,
      secret: newSecret(),
      slotSeconds: DEFAULT_ACTIVITY_SETTINGS.slotSeconds,
      closed: false,
      createdBy: ctx.openid,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    const saved = await store.insertActivity(doc);
    return { id: saved._id };
  },
});

export const edit = activityAction<A['edit']['req'], A['edit']['res']>({
  input: z.strictObject({
    id: activityId,
    title: z.optional(title),
    category: z.optional(z.enum(CATEGORIES)),
    description: z.optional(description),
    startAt: z.optional(isoTime),
    endAt: z.optional(isoTime),
    capacity: z.optional(capacity),
    signupRequired: z.optional(z.boolean()),
    audience: z.optional(z.enum(AUDIENCES)),
  }),
  as: ['organiser'],
  async run(ctx, req, { activity: a }) {
    const { id, startAt, endAt, capacity: cap, ...rest } = req;
    const set = orFail(
      decideEdit(
        a,
        {
          ...rest,
          startAt: startAt ? new Date(startAt) : undefined,
          endAt: endAt ? new Date(endAt) : undefined,
          capacity: cap,
        },
        ctx.now,
      ),
    );
    const { capacity: to, ...fields } = set;
    const ok =
      to !== undefined && to !== a.capacity
        ? await store.changeCapacity(id, a.capacity, to, { ...fields, updatedAt: ctx.now })
        : await store.updateActivity(id, { status: 'open', updatedAt: a.updatedAt }, { ...fields, updatedAt: ctx.now });
    if (!ok) throw new AppError('CONFLICT', '活动刚刚有了变化（有人报名或别人改过），请刷新后再改。');
    const after = await mustActivity(id);
    const moved = (k: 'startAt' | 'endAt') => new Date(after[k]).getTime() !== new Date(a[k]).getTime();
    if (moved('startAt') || moved('endAt')) await tellRescheduled(after, ctx.now);
    return toActivity(after, {}, true);
  },
});

export const cancel = activityAction<A['cancel']['req'], A['cancel']['res']>({
  input: z.strictObject({ id: activityId, reason: text(ACTIVITY_LIMITS.reasonMax) }),
  as: ['organiser'],
  async run(ctx, req, { activity: a }) {
    const what = orFail(decideCancel(a, ctx.now));
    if (what === 'cancel') {
      const set = { status: 'cancelled' as const, cancelReason: req.reason, updatedAt: ctx.now };
      await store.updateActivity(a._id, { status: 'open' }, set);
    }
    const now = await mustActivity(a._id);
    // Told on every call that finds it cancelled: a retry after a lost answer still tells everyone,
    // and the messages' keys make it once per person.
    if (now.status === 'cancelled') await tellCancelled(now, ctx.now);
    return toActivity(now, {}, true);
  },
});
