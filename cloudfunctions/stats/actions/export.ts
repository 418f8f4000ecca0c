/**
 * stats.export: an Excel workbook of the caller's scope (or a node within it) and period, written to
 * cloud storage — orders, volunteers with hours, activities with rosters, the points ledger with
 * redemptions, and the figures of the node and its children. Center and institute admins and station heads, each for their own scope. Records are
 * read in keyset pages and streamed into the workbook (shared/stats/export/), so 100,000 rows stay
 * within the function's time and memory.
 */
import * as z from 'zod/mini';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { EXPORT_KINDS, type StatsApi } from '../../../typings/stats';
import { action } from '../../shared/runtime/handler';
import { id } from '../../shared/runtime/validate';
import { getOrg } from '../../shared/org/store';
import { EXPORTERS, produce } from '../../shared/stats/export';
import { figuresWorkbook } from '../../shared/stats/export/figures';
import { writeSheets } from '../../shared/stats/export/workbook';
import { day, overviewOf, periodOf } from './figures';

type A = StatsApi['export'];

export const exportBook = action<A['req'], A['res']>({
  input: z.strictObject({
    kind: z.enum(EXPORT_KINDS),
    orgId: z.optional(id),
    from: z.optional(day),
    to: z.optional(day),
  }),
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.orgId,
    forbidden: '只有站长和实践所、实践中心的管理员可以导出本级范围内的数据。',
  },
  async run(ctx, req, scope) {
    const period = periodOf(req, ctx.now);
    const node = await getOrg(scope.orgId);
    const job = { orgId: scope.orgId, period };
    if (req.kind === 'figures') {
      const figures = await overviewOf(
        scope.orgId,
        scope.path.length,
        { from: period.from, to: period.to },
        ctx.now.getTime(),
      );
      return produce('figures', node?.name ?? scope.orgId, job, async (book) =>
        writeSheets(book, figuresWorkbook(figures)),
      );
    }
    return produce(req.kind, node?.name ?? scope.orgId, job, (book) =>
      EXPORTERS[req.kind as Exclude<typeof req.kind, 'figures'>](book, job),
    );
  },
});
