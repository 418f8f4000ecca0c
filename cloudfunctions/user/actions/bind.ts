/**
 * A villager binds to their village (station) and household (户). Moving village closes the earlier
 * binding and keeps it as history; leaving a household hands headship to the next member. All of it
 * in one transaction (the user store's bindUser), so a binding is never half made.
 */
import type { UserApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import { spendToday } from '../../shared/runtime/counters';
import * as z from 'zod/mini';
import { cleanText, id } from '../../shared/runtime/validate';
import { pathOf } from '../../shared/org/domain/model';
import { getOrg } from '../../shared/org/store';
import { orgId } from '../../shared/org/schemas';
import { bindUser, ensureUser, findHousehold } from '../../shared/user/store';
import { describeMe } from './me';

type A = UserApi['bind'];

/** Tries of a household number that does not exist, per person per Shanghai day. */
export const JOIN_TRIES_PER_DAY = 5;

export const personName = z
  .string()
  .check(...cleanText, z.minLength(2), z.maxLength(20), z.regex(/^[\u4e00-\u9fa5A-Za-z·• ]+$/, 'a name'));

export const bind = action<A['req'], A['res']>({
  input: z.strictObject({ stationId: orgId, householdId: z.optional(id), name: personName }),
  access: 'self',
  async run(ctx, req) {
    const station = await getOrg(req.stationId);
    if (!station || station.level !== 'station' || station.retired)
      throw new AppError('NOT_FOUND', '没有找到这个村（社区）。');
    await checkText(ctx.openid, [req.name], 1);
    const { user: current } = await ensureUser(ctx.openid, ctx.now);
    if (req.householdId && req.householdId !== current.householdId) {
      // A number that leads nowhere costs one of today's few tries: household numbers cannot be guessed.
      const h = await findHousehold(req.householdId);
      if (!h || h.stationId !== station._id) {
        if (!(await spendToday('join-tries', ctx.openid, JOIN_TRIES_PER_DAY, ctx.now))) {
          throw new AppError('RATE_LIMITED', '今天户号填错的次数太多了，请向户主核对户号，明天再试。');
        }
        throw new AppError('NOT_FOUND', '这个村里没有找到这一户，请核对户号。');
      }
    }
    const user = await bindUser(ctx.openid, { id: station._id, path: pathOf(station) }, req, ctx.now);
    return describeMe(user);
  },
});
