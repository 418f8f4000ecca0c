/**
 * The county's assessment: the center's method and the league table of institutes or stations under a
 * node, each score with its parts. Whole months are counted (the month documents of the period).
 */
import * as z from 'zod/mini';
import { INDICATORS, type StatsApi } from '../../../typings/stats';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { getOrg, stationsUnder, children as childrenOfNode } from '../../shared/org/store';
import { assess, methodProblem, type Unit } from '../../shared/stats/domain/assessment';
import { monthsBetween } from '../../shared/stats/domain/figures';
import * as store from '../../shared/stats/store';
import { totalsOf } from '../../shared/stats/store-rollups';
import { day, orgId, periodOf } from './figures';

type A = StatsApi;

export const assessment = action<A['assessment']['req'], A['assessment']['res']>({
  input: z.strictObject({
    orgId: z.optional(orgId),
    from: z.optional(day),
    to: z.optional(day),
    level: z.optional(z.enum(['institute', 'station'])),
  }),
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.orgId,
    forbidden: '只能查看本所或全县范围内的考核。',
  },
  async run(ctx, req, scope) {
    const { from, to } = periodOf(req, ctx.now);
    const months = monthsBetween(from, to);
    // The node's level is its depth in the path the access check found (center, institute, station), so
    // the node (when the check did not read it already), the method and the units are one round trip.
    const depth = scope.path.length;
    const at = depth === 1 ? 'center' : depth === 2 ? 'institute' : 'station';
    const level = req.level ?? (at === 'center' ? 'institute' : 'station');
    if (at !== 'center' && level === 'institute') {
      throw new AppError('INVALID_ARGUMENT', '只有县级中心能比较各镇（街道）。');
    }
    const [node, method, stations, institutes] = await Promise.all([
      scope.node ?? getOrg(scope.orgId),
      store.loadMethod(),
      at === 'station' ? Promise.resolve([]) : stationsUnder(scope.orgId),
      level === 'institute' ? childrenOfNode(scope.orgId, 0, 1000) : Promise.resolve([]),
    ]);
    if (!node) throw new AppError('NOT_FOUND');
    const units =
      level === 'institute' ? institutes.filter((o) => o.level === 'institute') : at === 'station' ? [node] : stations;
    // Closed months from their roll-ups, the open ones live (shared/stats/domain/rollups.ts).
    const totals = await totalsOf(units, months, ctx.now.getTime());
    const stationsOf = (id: string) => (level === 'station' ? 1 : stations.filter((s) => s.parentId === id).length);
    const rows = assess(
      method,
      units.map((u): Unit => ({
        orgId: u._id,
        name: u.name,
        level: u.level,
        counters: totals.get(u._id) ?? {},
        stations: stationsOf(u._id),
        months: months.length,
      })),
    );
    return { method, rows, from, to };
  },
});

export const setAssessment = action<A['setAssessment']['req'], A['setAssessment']['res']>({
  input: z.strictObject({
    indicators: z
      .array(
        z.strictObject({
          key: z.enum(INDICATORS),
          weight: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
          target: z.number().check(z.positive(), z.maximum(100_000)),
        }),
      )
      .check(z.minLength(1), z.maxLength(INDICATORS.length)),
  }),
  access: { roles: ['centerAdmin'], at: 'center', forbidden: '只有县级中心的管理员能设置考核办法。' },
  async run(ctx, req) {
    const problem = methodProblem(req.indicators);
    if (problem) throw new AppError('INVALID_ARGUMENT', problem);
    const method = { indicators: req.indicators, updatedAt: ctx.now.toISOString(), updatedBy: ctx.openid };
    await store.saveMethod(method);
    return method;
  },
});
