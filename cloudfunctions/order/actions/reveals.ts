/**
 * The contact log for station heads: which volunteer was shown which requester's phone and address, when
 * and how often, and who declined after seeing — so harvesting contacts shows up where it is done.
 */
import type { OrderApi } from '../../../typings/api';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import * as z from 'zod/mini';
import { orgId, page } from '../../shared/org/schemas';
import { revealsUnder } from '../../shared/order/store-records';
import { flaggedUnder } from '../../shared/user/store';

type A = OrderApi['reveals'];
const PAGE = 50;

export const reveals = action<A['req'], A['res']>({
  input: z.strictObject({ stationId: orgId, page }),
  access: { roles: DISPATCHER_ROLES, at: (req) => req.stationId },
  async run(_ctx, req) {
    const p = req.page ?? 0;
    const [found, flagged] = await Promise.all([
      revealsUnder(req.stationId, p * PAGE, PAGE + 1),
      flaggedUnder(req.stationId),
    ]);
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return {
      reveals: found.slice(0, PAGE).map((r) => ({
        orderId: r.orderId,
        orderTitle: r.orderTitle,
        volunteer: r.volunteer,
        requesterName: r.requester.name ?? '群众',
        firstAt: new Date(r.firstAt).toISOString(),
        lastAt: new Date(r.lastAt).toISOString(),
        times: r.times,
        declinedAt: iso(r.declinedAt),
      })),
      flagged: flagged.map((v) => ({
        openid: v.openid,
        name: v.name,
        declinesAfterReveal: v.declinesAfterReveal ?? 0,
      })),
      nextPage: found.length > PAGE ? p + 1 : null,
    };
  },
});
