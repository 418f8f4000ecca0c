/**
 * 催办: a station head or admin whose scope covers an order reminds the volunteer holding it (dispatched
 * or accepted) — an in-app message and, where accepted, a subscribe message — and the reminder goes on
 * the timeline. Once in URGE_EVERY_HOURS per order, settled by one conditional update; a retry with the
 * same requestId answers the reminder it made.
 */
import type { OrderApi } from '../../../typings/api';
import { URGE_EVERY_HOURS } from '../../../typings/order';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { holding, type OrderDoc } from '../../shared/order/domain/model';
import { shanghaiTime } from '../../shared/notify/domain/fields';
import * as store from '../../shared/order/store';
import { tell } from '../../shared/order/tell';
import { event, orderAction, orderId, present } from './common';

type A = OrderApi['urge'];
const HOUR_MS = 3_600_000;

const tooSoon = (at: Date) =>
  new AppError(
    'RATE_LIMITED',
    `${shanghaiTime(new Date(at)).slice(-5)}已经催过了，${URGE_EVERY_HOURS}小时内只催一次，请稍后再催或打电话问问。`,
  );

export const urge = orderAction<A['req'], A['res']>({
  input: z.strictObject({
    id: orderId,
    requestId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'a request id of 8–64 letters, digits, _ or -')),
  }),
  as: ['dispatcher'],
  forbidden: '只有负责这个需求的站长和管理员能催办。',
  async run(ctx, req, { order, viewer, settings }) {
    const mine = (o: OrderDoc | undefined) => o?.urge?.requestId === req.requestId && o.urge.by === ctx.openid;
    const done = async (o: OrderDoc) => {
      // Telling is keyed by the event, so a retry reminds no one twice; it never fails the reminder.
      if (o.events.at(-1)?.type === 'urged') await tell(o, ctx.now).catch((e) => console.error('urge: tell', e));
      return present(o, viewer, settings, ctx.now);
    };
    if (mine(order)) return done(order);
    if (!holding(order)) throw new AppError('CONFLICT', '这个需求现在没有志愿者在办，不用催办。');
    const since = new Date(ctx.now.getTime() - URGE_EVERY_HOURS * HOUR_MS);
    if (order.urge && new Date(order.urge.at).getTime() >= since.getTime()) throw tooSoon(order.urge.at);
    const e = event('urged', order.status, order.status, viewer, ctx.now);
    const made = { at: ctx.now, by: ctx.openid, requestId: req.requestId };
    if (!(await store.urge(order, made, since, e))) {
      const now = await store.findOrder(order._id);
      if (now && mine(now)) return done(now);
      if (now?.urge && new Date(now.urge.at).getTime() >= since.getTime()) throw tooSoon(now.urge.at);
      throw new AppError('CONFLICT');
    }
    return done({ ...order, urge: made, events: [...order.events, e], updatedAt: ctx.now });
  },
});
