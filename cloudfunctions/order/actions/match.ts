/** 派单: the ranked candidates for an order, with the reasons for each rank. */
import type { OrderApi } from '../../../typings/api';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { candidatesFor } from '../../shared/order/dispatch';
import { orderAction, orderId } from './common';

const SHOWN = 20;

export const candidates = orderAction<OrderApi['candidates']['req'], OrderApi['candidates']['res']>({
  input: z.strictObject({ id: orderId }),
  as: ['dispatcher'],
  forbidden: '只有站长和上级管理员可以派单。',
  async run(ctx, _req, { order }) {
    if (!['open', 'dispatched', 'submitted'].includes(order.status)) {
      throw new AppError('FAILED_PRECONDITION', '这个需求现在不需要派单。');
    }
    return { candidates: (await candidatesFor(order, ctx.now)).slice(0, SHOWN) };
  },
});
