/** 派单: the ranked candidates for an order, with the reasons for each rank. */
import type { OrderApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { isDispatcher } from '../../shared/order/model';
import { candidatesFor } from '../../shared/order/dispatch';
import { load, orderId } from './common';

const SHOWN = 20;

export const candidates = action<OrderApi['candidates']['req'], OrderApi['candidates']['res']>({
  input: z.strictObject({ id: orderId }),
  access: 'anyone',
  async run(ctx, req) {
    const { order, viewer } = await load(ctx, req.id);
    if (!isDispatcher(order, viewer)) throw new AppError('FORBIDDEN', '只有站长和上级管理员可以派单。');
    if (!['open', 'dispatched', 'submitted'].includes(order.status)) {
      throw new AppError('FAILED_PRECONDITION', '这个需求现在不需要派单。');
    }
    return { candidates: (await candidatesFor(order, ctx.now)).slice(0, SHOWN) };
  },
});
