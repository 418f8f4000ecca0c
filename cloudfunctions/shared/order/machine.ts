/**
 * The order state machine (DESIGN.md): which transitions exist, from which statuses, for whom, and
 * the deadlines each one sets. Every transition is applied as one conditional update on the status it
 * starts from, so two people can never both make it. Pure functions, no SDK.
 */
import type { OrderAction } from '../../../typings/api';
import { ORDER_LEVELS, type OrderLevel, type OrderSettings, type OrderStatus } from '../../../typings/order';
import { isAssignee, isDispatcher, isRequester, servesScope, type OrderDoc, type Viewer } from './model';

export interface TransitionRule {
  from: readonly OrderStatus[];
  /** Who may make it: the requester, the assignee, a dispatcher in scope, or a volunteer of the area. */
  who: readonly ('requester' | 'assignee' | 'dispatcher' | 'areaVolunteer')[];
}

export const TRANSITIONS: Record<OrderAction, TransitionRule> = {
  review: { from: ['submitted'], who: ['dispatcher'] },
  dispatch: { from: ['open'], who: ['dispatcher'] },
  // A dispatched order is accepted by its assignee; an open one is claimed from the hall.
  accept: { from: ['dispatched', 'open'], who: ['assignee', 'areaVolunteer'] },
  decline: { from: ['dispatched', 'accepted'], who: ['assignee'] },
  fulfil: { from: ['accepted'], who: ['assignee'] },
  rate: { from: ['fulfilled'], who: ['requester'] },
  cancel: { from: ['submitted', 'open', 'dispatched'], who: ['requester'] },
  reopen: { from: ['fulfilled', 'closed'], who: ['requester'] },
};

export interface ViewerContext extends Viewer {
  /** The areas of the caller's volunteer registration (empty if not a volunteer). */
  volunteerAreas: readonly string[];
  /** The skills of the caller's volunteer registration. */
  skills: readonly string[];
}

const DAY_MS = 86_400_000;

/** Open orders a volunteer may hold at once by claiming from the hall (a dispatcher may give more). */
export const MAX_CLAIMED = 5;
const HOUR_MS = 3_600_000;

/** Whether the caller may take `action` on the order now; a reason in plain words when not. */
export function check(
  order: OrderDoc,
  action: OrderAction,
  v: ViewerContext,
  settings: OrderSettings,
  now: Date,
): string | null {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(order.status)) return '这个需求现在的状态不能这样办理。';
  const roles = rule.who.filter((w) => {
    switch (w) {
      case 'requester':
        return isRequester(order, v);
      case 'assignee':
        return isAssignee(order, v) && (action !== 'accept' || order.status === 'dispatched');
      case 'dispatcher':
        return isDispatcher(order, v);
      case 'areaVolunteer':
        return (
          action === 'accept' &&
          order.status === 'open' &&
          servesScope(order, v.volunteerAreas) &&
          v.skills.includes(order.category) &&
          !isRequester(order, v) &&
          !order.passedOver.includes(v.openid)
        );
      default:
        return false;
    }
  });
  if (roles.length === 0) return '您不能办理这个需求。';
  if (action === 'reopen') {
    const since = order.fulfilledAt ? now.getTime() - new Date(order.fulfilledAt).getTime() : Infinity;
    if (since > settings.reopenDays * DAY_MS) return `完成超过${settings.reopenDays}天了，不能再重新打开，请重新发布。`;
  }
  return null;
}

export function allowedActions(order: OrderDoc, v: ViewerContext, settings: OrderSettings, now: Date): OrderAction[] {
  return (Object.keys(TRANSITIONS) as OrderAction[]).filter((a) => check(order, a, v, settings, now) === null);
}

/** The SLA hours of the stage an order in `status` is in, or null when no clock runs. */
export function stageHours(status: OrderStatus, level: OrderLevel, settings: OrderSettings): number | null {
  const sla = settings.sla[level];
  switch (status) {
    case 'submitted':
      return sla.reviewHours;
    case 'open':
    case 'dispatched':
      return sla.takeHours;
    case 'accepted':
      return sla.fulfilHours;
    default:
      return null;
  }
}

export function dueAt(status: OrderStatus, level: OrderLevel, settings: OrderSettings, from: Date): Date | null {
  const h = stageHours(status, level, settings);
  return h === null ? null : new Date(from.getTime() + h * HOUR_MS);
}

export function acceptBy(settings: OrderSettings, from: Date): Date {
  return new Date(from.getTime() + settings.acceptHours * HOUR_MS);
}

export function rateBy(settings: OrderSettings, from: Date): Date {
  return new Date(from.getTime() + settings.autoCloseDays * DAY_MS);
}

/** The level above, or null at the center. */
export function levelAbove(level: OrderLevel): OrderLevel | null {
  const i = ORDER_LEVELS.indexOf(level);
  return i < ORDER_LEVELS.length - 1 ? ORDER_LEVELS[i + 1] : null;
}

/** The node responsible at a level, from the order's station path (center, institute, station). */
export function ownerAt(path: readonly string[], level: OrderLevel): string {
  const index = { center: 0, institute: 1, station: 2 }[level];
  return path[Math.min(index, path.length - 1)];
}

/**
 * What the timer does with an order past its deadline: climb one level (with a new deadline for the
 * same stage there), or, at the center, turn red. Null when nothing is due.
 */
export function escalation(
  order: Pick<OrderDoc, 'status' | 'level' | 'path' | 'dueAt' | 'overdue'>,
  settings: OrderSettings,
  now: Date,
): { level: OrderLevel; ownerOrgId: string; dueAt: Date | null; overdue: boolean } | null {
  if (!order.dueAt || new Date(order.dueAt).getTime() > now.getTime() || order.overdue) return null;
  const up = levelAbove(order.level);
  if (!up)
    return { level: order.level, ownerOrgId: ownerAt(order.path, order.level), dueAt: order.dueAt, overdue: true };
  return {
    level: up,
    ownerOrgId: ownerAt(order.path, up),
    dueAt: dueAt(order.status, up, settings, now),
    overdue: false,
  };
}
