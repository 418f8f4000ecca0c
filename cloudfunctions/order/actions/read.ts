/** Reading orders: one with its timeline, lists by who you are, the task hall, messages. */
import type { OrderApi } from '../../../typings/api';
import {
  ACTIVE_STATUSES,
  ORDER_LEVELS,
  ORDER_STATUSES,
  type TemplateKey,
  SUBSCRIBE_TEMPLATES,
} from '../../../typings/order';
import { CATEGORIES, DISPATCHER_ROLES } from '../../../typings/domain';
import { HALL_RADII } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { getOrgs } from '../../shared/org/store';
import { lat, lng, orgId, page } from '../../shared/org/schemas';
import { findVolunteer } from '../../shared/user/store';
import { toAreaSummary, toSummary } from '../../shared/order/domain/model';
import { hallPage } from '../../shared/order/domain/hall';
import * as store from '../../shared/order/store';
import { addSubscriptions, markRead as markMessagesRead, messagesOf, unreadCount } from '../../shared/notify/store';
import { orderAction, orderId, present } from './common';

type A = OrderApi;
const PAGE = 20;

export const get = orderAction<A['get']['req'], A['get']['res']>({
  input: z.strictObject({ id: orderId }),
  // A volunteer of the area sees an order only while it is open in their hall (VIEWERS).
  as: ['requester', 'assignee', 'dispatcher', 'areaVolunteer'],
  forbidden: '您不能查看这个需求。',
  run: (ctx, _req, { order, viewer, settings }) => present(order, viewer, settings, ctx.now),
});

export const list = action<A['list']['req'], A['list']['res']>({
  input: z.strictObject({
    scope: z.enum(['mine', 'assigned', 'area']),
    status: z.optional(z.array(z.enum(ORDER_STATUSES)).check(z.minLength(1), z.maxLength(ORDER_STATUSES.length))),
    overdue: z.optional(z.boolean()),
    level: z.optional(z.enum(ORDER_LEVELS)),
    page,
  }),
  // Their own orders (mine, assigned) to anyone; the area's to station heads and above, in their scope.
  access: {
    roles: DISPATCHER_ROLES,
    at: 'own',
    only: (req) => req.scope === 'area',
    forbidden: '只有站长和上级管理员能看辖区的需求。',
  },
  async run(ctx, req, area) {
    const where: Record<string, unknown> = {};
    if (req.scope === 'mine') where['requester.openid'] = ctx.openid;
    else if (req.scope === 'assigned') where['assignee.openid'] = ctx.openid;
    else where.path = area.orgId;
    if (req.status) where.status = store.statusIn(req.status);
    if (req.overdue !== undefined) where.overdue = req.overdue;
    if (req.level) where.level = req.level;
    const p = req.page ?? 0;
    const found = await store.listOrders({ where, skip: p * PAGE, limit: PAGE + 1 });
    const shown = found.slice(0, PAGE).map((o) => (req.scope === 'area' ? toAreaSummary(o) : toSummary(o)));
    return { orders: shown, nextPage: found.length > PAGE ? p + 1 : null };
  },
});

export const counts = action<A['counts']['req'], A['counts']['res']>({
  input: z.strictObject({ orgId: z.optional(orgId) }),
  access: { roles: DISPATCHER_ROLES, at: (req) => req.orgId },
  async run(_ctx, _req, { orgId: scope }) {
    const active = store.statusIn(ACTIVE_STATUSES);
    const [submitted, open, overdue, red] = await Promise.all([
      store.countOrders({ path: scope, status: 'submitted' }),
      store.countOrders({ path: scope, status: 'open' }),
      store.countOrders({ path: scope, status: active, overdue: true }),
      store.countOrders({ path: scope, status: active, overdue: true, level: 'center' }),
    ]);
    return { submitted, open, overdue, red };
  },
});

export const hall = action<A['hall']['req'], A['hall']['res']>({
  input: z.strictObject({
    page,
    lat: z.optional(lat),
    lng: z.optional(lng),
    category: z.optional(z.enum(CATEGORIES)),
    withinM: z.optional(z.union(HALL_RADII.map((r) => z.literal(r)))),
  }),
  access: 'self',
  async run(ctx, req) {
    const v = await findVolunteer(ctx.openid);
    if (!v || v.status !== 'active') throw new AppError('FAILED_PRECONDITION', '请先在“我的”里注册志愿者，再来接单。');
    const skills = req.category ? v.skills.filter((s) => s === req.category) : v.skills;
    let here: { lat: number; lng: number } | null =
      req.lat !== undefined && req.lng !== undefined ? { lat: req.lat, lng: req.lng } : null;
    if (!here) {
      const st = (await getOrgs(v.stationIds.slice(0, 1))).get(v.stationIds[0]);
      here = st && st.lat !== null && st.lng !== null ? { lat: st.lat, lng: st.lng } : null;
    }
    // Nearest first by geoNear (within the radius, when one is asked and the caller has a place).
    const readers = store.hallReaders({ owners: v.areas, categories: skills, openid: ctx.openid }, here);
    const p = req.page ?? 0;
    const { items, more } = await hallPage(p, here, here ? req.withinM : undefined, readers);
    return { orders: items.map(({ o, d }) => toSummary(o, d)), nextPage: more ? p + 1 : null };
  },
});

export const messages = action<A['messages']['req'], A['messages']['res']>({
  input: z.strictObject({ page, unreadOnly: z.optional(z.boolean()) }),
  access: 'self',
  async run(ctx, req) {
    const p = req.page ?? 0;
    const found = await messagesOf(ctx.openid, { unreadOnly: req.unreadOnly, skip: p * PAGE, limit: PAGE + 1 });
    return {
      messages: found.slice(0, PAGE).map((m) => ({
        id: m._id,
        title: m.title,
        body: m.body,
        orderId: m.orderId,
        read: m.read,
        createdAt: new Date(m.createdAt).toISOString(),
      })),
      unread: await unreadCount(ctx.openid),
      nextPage: found.length > PAGE ? p + 1 : null,
    };
  },
});

export const markRead = action<A['markRead']['req'], A['markRead']['res']>({
  input: z.strictObject({
    ids: z.array(z.string().check(z.minLength(1), z.maxLength(120))).check(z.minLength(1), z.maxLength(100)),
  }),
  access: 'self',
  async run(ctx, req) {
    await markMessagesRead(ctx.openid, req.ids);
    return { unread: await unreadCount(ctx.openid) };
  },
});

export const subscribed = action<A['subscribed']['req'], A['subscribed']['res']>({
  input: z.strictObject({
    templates: z
      .array(z.enum(Object.keys(SUBSCRIBE_TEMPLATES) as [TemplateKey, ...TemplateKey[]]))
      .check(z.minLength(1), z.maxLength(3)),
  }),
  access: 'self',
  async run(ctx, req) {
    await addSubscriptions(ctx.openid, req.templates);
    return { ok: true as const };
  },
});
