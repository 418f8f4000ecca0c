/** Reading activities: one with the caller's standing, lists by who and where you are, the live roll. */
import type { ActivityApi, ActivitySummary } from '../../../typings/activity';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { widestScope } from '../../shared/auth/domain/guard';
import { lat, lng, orgId, page } from '../../shared/org/schemas';
import { checkinId, toActivity, toRosterEntry, toSummary } from '../../shared/activity/domain/model';
import * as store from '../../shared/activity/store';
import { activityAction, activityId, manages, mustActivity, ORGANISERS, PAGE } from './common';

type A = ActivityApi;
/** The ten-minute circle, a little wider: what a villager would walk or ride to. */
const NEAR_M = 3000;

export const get = action<A['get']['req'], A['get']['res']>({
  input: z.strictObject({ id: activityId }),
  // What is on where is public; the caller's own standing comes with it.
  access: 'public',
  async run(ctx, req) {
    const a = await mustActivity(req.id);
    const key = checkinId(a._id, ctx.openid);
    const [signup, checkin, manage] = await Promise.all([
      store.findSignup(key),
      store.findCheckin(key),
      manages(ctx, a.path),
    ]);
    return toActivity(a, { signup, checkin }, manage);
  },
});

const more = <T>(items: T[], p: number, size = PAGE) => ({
  items: items.slice(0, size),
  nextPage: items.length > size ? p + 1 : null,
});

export const list = action<A['list']['req'], A['list']['res']>({
  input: z.strictObject({
    scope: z.enum(['mine', 'area', 'near', 'point', 'managed']),
    pointId: z.optional(orgId),
    lat: z.optional(lat),
    lng: z.optional(lng),
    page,
  }),
  access: 'self',
  async run(ctx, req) {
    const p = req.page ?? 0;
    let found: ActivitySummary[];
    if (req.scope === 'near') {
      if (req.lat === undefined || req.lng === undefined)
        throw new AppError('INVALID_ARGUMENT', '需要您的位置才能找附近的活动。', ['lat, lng: required for near']);
      const near = await store.activitiesNear({ lat: req.lat, lng: req.lng }, NEAR_M, ctx.now);
      found = near.slice(p * PAGE, p * PAGE + PAGE + 1).map((n) => toSummary(n.doc, n.distanceM));
    } else if (req.scope === 'mine') {
      const signups = await store.signupsOf({ openid: ctx.openid, status: 'signed' }, 0, 100);
      const checkins = await store.checkinsOf({ openid: ctx.openid }, 0, 100);
      const ids = [...new Set([...signups.map((s) => s.activityId), ...checkins.map((c) => c.activityId)])];
      const docs = ids.length ? await store.listActivities(store.idIn(ids), 0, 100) : [];
      found = docs
        .sort((x, y) => new Date(y.startAt).getTime() - new Date(x.startAt).getTime())
        .slice(p * PAGE, p * PAGE + PAGE + 1)
        .map((d) => toSummary(d));
    } else {
      let where: Record<string, unknown>;
      if (req.scope === 'point') {
        if (!req.pointId) throw new AppError('INVALID_ARGUMENT', undefined, ['pointId: required for point']);
        where = { pointId: req.pointId, ...store.upcoming(ctx.now) };
      } else {
        const caller = await ctx.caller();
        const scope =
          req.scope === 'managed'
            ? widestScope(caller.roles, ORGANISERS)?.orgId
            : (caller.stationId ?? caller.roles[0]?.orgId);
        if (!scope) return { activities: [], nextPage: null };
        where = req.scope === 'managed' ? { path: scope } : { path: scope, ...store.upcoming(ctx.now) };
      }
      found = (await store.listActivities(where, p * PAGE, PAGE + 1)).map((d) => toSummary(d));
    }
    const { items, nextPage } = more(found, p);
    return { activities: items, nextPage };
  },
});

export const roster = activityAction<A['roster']['req'], A['roster']['res']>({
  input: z.strictObject({ id: activityId, page }),
  as: ['organiser'],
  async run(_ctx, req, { activity: a }) {
    const p = req.page ?? 0;
    const size = 100;
    const [entries, inside, out, flagged] = await Promise.all([
      store.checkinsOf({ activityId: a._id }, p * size, size + 1),
      store.count('checkins', { activityId: a._id, state: 'in' }),
      store.count('checkins', { activityId: a._id, state: 'out' }),
      store.count('checkins', { activityId: a._id, review: 'pending' }),
    ]);
    return {
      entries: entries.slice(0, size).map(toRosterEntry),
      counts: { signedUp: a.signedUp, in: inside, out, flagged },
      nextPage: entries.length > size ? p + 1 : null,
    };
  },
});
