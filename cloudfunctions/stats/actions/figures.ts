/**
 * The command center's figures: a node's and its children's (overview), and the county's public
 * aggregates for the big screen. Both read kept figure documents, never the records themselves.
 */
import * as z from 'zod/mini';
import type { StatsApi } from '../../../typings/stats';
import { CATEGORIES, CATEGORY_LABELS, DISPATCHER_ROLES } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { empty } from '../../shared/runtime/validate';
import { children as childrenOfNode, getOrg, getRoot, stationsUnder } from '../../shared/org/store';
import type { OrgDoc } from '../../shared/org/domain/model';
import { dayOf, K, monthsBetween, type FigureDoc } from '../../shared/stats/domain/figures';
import {
  figuresOf,
  FIGURE_LEVELS,
  fulfilmentRate,
  rankChildren,
  sumIn,
  sumOf,
  trendOf,
} from '../../shared/stats/domain/summing';
import { parsePeriod, type DayRange } from '../../shared/stats/domain/period';
import { splitClosed } from '../../shared/stats/domain/rollups';
import * as store from '../../shared/stats/store';
import { monthTotalsUnder, totalsOf } from '../../shared/stats/store-rollups';
import { nowMs } from '../../shared/runtime/clock';

type A = StatsApi;

export const orgId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/, 'a node id'));
export const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day (2026-01-31)'));

/** The months a period covers whole (read as totals) and in part (read with their days). */
function splitMonths(months: string[], from: string, to: string) {
  const whole = months.filter((m) => `${m}-01` >= from && `${m}-31` <= `${to.slice(0, 7)}-31` && m < to.slice(0, 7));
  const last = to.slice(0, 7);
  // The last month is whole only when the period runs to its end; the first only when it starts on the 1st.
  const lastWhole =
    Number(to.slice(8, 10)) === new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 0)).getUTCDate();
  if (lastWhole && from <= `${last}-01`) whole.push(last);
  return { whole, part: months.filter((m) => !whole.includes(m)) };
}

/** The period a request asks for (one parser for every stats action), or INVALID_ARGUMENT. */
export function periodOf(req: { from?: string; to?: string }, now: Date): DayRange {
  const p = parsePeriod(req, now);
  if ('refusal' in p)
    throw new AppError('INVALID_ARGUMENT', p.refusal.message, [`${p.refusal.field}: ${p.refusal.reason}`]);
  return p;
}

/**
 * How many children the figure queries are sized for, by the node's depth: a center's institutes, an
 * institute's stations, a station's (points keep no figures of their own). More only costs a page more.
 */
const CHILDREN_BY_DEPTH = [50, 100, 0];
const MAX_CHILDREN = 1000;

export const overview = action<A['overview']['req'], A['overview']['res']>({
  input: z.strictObject({ orgId: z.optional(orgId), from: z.optional(day), to: z.optional(day) }),
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.orgId,
    forbidden: '只能查看本站、本所或全县范围内的统计。',
  },
  async run(ctx, req, scope) {
    return overviewOf(scope.orgId, scope.path.length, periodOf(req, ctx.now), ctx.now.getTime());
  },
});

/**
 * A node's overview over a period (the node at `depth` in the tree: 1 the center): one round trip for
 * the node, its children, their roll-ups of the closed months the period covers whole and the month
 * documents of the rest, in parallel (a roll-up not kept yet costs two more). Also the `figures`
 * workbook's data.
 */
export async function overviewOf(
  orgId: string,
  depth: number,
  { from, to }: { from: string; to: string },
  now = nowMs(),
): Promise<A['overview']['res']> {
  const { whole, part } = splitMonths(monthsBetween(from, to), from, to);
  const rolled = monthTotalsUnder(orgId, whole, now);
  const [node, kids, docs] = await Promise.all([
    getOrg(orgId),
    childrenOfNode(orgId, 0, MAX_CHILDREN),
    store.figuresUnder(
      orgId,
      { whole: whole.filter((m) => !rolled.closed.includes(m)), part },
      CHILDREN_BY_DEPTH[depth - 1] ?? 0,
    ),
  ]);
  if (!node) throw new AppError('NOT_FOUND');
  // Figures are kept down to the stations: a station's points have none of their own.
  const kept = kids.filter((k) => FIGURE_LEVELS.includes(k.level));
  // A rolled-up month reads as one month document of its totals.
  for (const [id, byMonth] of await rolled.of([node, ...kept])) {
    for (const [month, totals] of byMonth)
      docs.push({ _id: `${id}:${month}`, orgId: id, nodes: [id], grain: 'month', period: month, month, ...totals });
  }
  const byOrg = new Map<string, FigureDoc[]>();
  for (const d of docs) byOrg.set(d.orgId, [...(byOrg.get(d.orgId) ?? []), d]);
  const figuresFor = (o: OrgDoc) => ({
    orgId: o._id,
    name: o.name,
    level: o.level,
    ...figuresOf(sumIn(byOrg.get(o._id) ?? [], from, to)),
  });
  const { children, childMedianRate } = rankChildren(kept.map(figuresFor));
  return {
    ...figuresFor(node),
    from,
    to,
    children,
    childMedianRate,
    trend: trendOf(byOrg.get(node._id) ?? [], from, to),
  };
}

export const publicFigures = action<A['public']['req'], A['public']['res']>({
  input: empty,
  access: 'anonymous',
  async run(ctx) {
    const root = await getRoot();
    if (!root) throw new AppError('NOT_FOUND', '还没有建立县级中心。');
    const today = dayOf(ctx.now);
    const from = `${today.slice(0, 4)}-01-01`;
    const months = monthsBetween(from, today);
    const stations = (await stationsUnder(root._id)).filter((s) => s.lat !== null && s.lng !== null);
    const { closed, open } = splitClosed(months, ctx.now.getTime());
    const [county, openCounty, perStation] = await Promise.all([
      // The county's closed months by their totals, the open ones with their days (today's figures);
      // the stations' totals from their roll-ups of the closed months and the open months live.
      store.figuresOf([root._id], closed),
      store.figuresOf([root._id], open, false),
      totalsOf(stations, months, ctx.now.getTime()),
    ]);
    county.push(...openCounty);
    const year = sumOf(county);
    const todays = sumIn(county, today, today);
    const f = figuresOf(year);
    return {
      updatedAt: ctx.now.toISOString(),
      county: root.name,
      year: {
        posted: f.orders.posted,
        fulfilled: f.orders.fulfilled,
        fulfilmentRate: f.fulfilmentRate,
        activities: f.activities.held,
        checkins: f.activities.checkins,
        recordedHours: Math.round(f.hours.recordedMinutes / 60),
        pointsIssued: f.points.issued,
        volunteers: f.volunteers.registered,
      },
      today: { posted: todays[K.posted] ?? 0, fulfilled: todays[K.fulfilled] ?? 0, checkins: todays[K.checkins] ?? 0 },
      trend: trendOf(county, from, today),
      byCategory: CATEGORIES.map((category) => ({
        category,
        label: CATEGORY_LABELS[category],
        ...f.byCategory[category],
      })),
      stations: stations.map((s) => ({
        id: s._id,
        name: s.name,
        lat: s.lat as number,
        lng: s.lng as number,
        fulfilmentRate: fulfilmentRate(perStation.get(s._id) ?? {}),
      })),
    };
  },
});
