/** The center's settings (SLAs, timeouts, limits) and a station's automatic dispatch. */
import type { OrderApi } from '../../../typings/api';
import { ORDER_LEVELS } from '../../../typings/order';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { getOrg, setAutoDispatch as saveAutoDispatch } from '../../shared/org/store';
import { orgId } from '../../shared/org/schemas';
import { loadSettings, saveSettings } from '../../shared/order/store';

type A = OrderApi;
const hours = (max: number) => z.number().check(z.gt(0), z.lte(max));
const stage = z.strictObject({ reviewHours: hours(720), takeHours: hours(720), fulfilHours: hours(2160) });

export const settings = action<A['settings']['req'], A['settings']['res']>({
  input: z.strictObject({}),
  // The rules every order runs by are no secret: pages show the deadlines from them.
  access: 'public',
  run: () => loadSettings(),
});

export const setSettings = action<A['setSettings']['req'], A['setSettings']['res']>({
  input: z.strictObject({
    settings: z.strictObject({
      sla: z.strictObject(
        Object.fromEntries(ORDER_LEVELS.map((l) => [l, stage])) as Record<(typeof ORDER_LEVELS)[number], typeof stage>,
      ),
      acceptHours: hours(168),
      autoCloseDays: z.int().check(z.gte(1), z.lte(60)),
      autoCloseStars: z.int().check(z.gte(1), z.lte(5)),
      reopenDays: z.int().check(z.gte(0), z.lte(60)),
      dailyLimit: z.int().check(z.gte(1), z.lte(50)),
      similarWithinM: z.int().check(z.gte(0), z.lte(5000)),
      maxServiceMinutes: z.optional(z.int().check(z.gte(30), z.lte(1440))),
      placeWithinM: z.optional(z.int().check(z.gte(1000), z.lte(100_000))),
    }),
  }),
  access: {
    roles: ['centerAdmin'],
    at: 'center',
  },
  async run(ctx, req) {
    // A page that does not know the cap yet (sent without it) keeps the one in force.
    const current = await loadSettings();
    // Replaced whole (set): what was written is what a read would answer, so it is answered as written.
    const settings = { ...current, ...req.settings };
    await saveSettings(settings, ctx.openid, ctx.now);
    return settings;
  },
});

export const setAutoDispatch = action<A['setAutoDispatch']['req'], A['setAutoDispatch']['res']>({
  input: z.strictObject({ stationId: orgId, on: z.boolean() }),
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.stationId,
  },
  async run(_ctx, req) {
    const st = await getOrg(req.stationId);
    if (!st || st.level !== 'station') throw new AppError('NOT_FOUND', '没有找到这个实践站。');
    await saveAutoDispatch(st._id, req.on);
    return { stationId: st._id, on: req.on };
  },
});
