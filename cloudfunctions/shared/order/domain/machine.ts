/**
 * The order state machine (DESIGN.md): which transitions exist, from which statuses, for whom, and
 * the deadlines each one sets. Every transition is applied as one conditional update on the status it
 * starts from, so two people can never both make it. Pure functions, no SDK.
 */
import type { OrderAction } from '../../../../typings/api';
import { ORDER_LEVELS, type OrderLevel, type OrderSettings, type OrderStatus } from '../../../../typings/order';
import { isAssignee, isDispatcher, isRequester, servesScope, type OrderDoc, type Viewer } from './model';

/**
 * How a caller stands to an order, whatever its status: who posted it, who holds it, a station head or
 * admin whose scope covers it, an active volunteer serving the stations it is now offered to.
 */
export type OrderRelation = 'requester' | 'assignee' | 'dispatcher' | 'areaVolunteer';

/** Every transition: which relation may make it, from which statuses. */
export const TRANSITIONS: Record<OrderAction, Partial<Record<OrderRelation, readonly OrderStatus[]>>> = {
  review: { dispatcher: ['submitted'] },
  dispatch: { dispatcher: ['open'] },
  // A dispatched order is accepted by its assignee; an open one is claimed from the hall.
  accept: { assignee: ['dispatched'], areaVolunteer: ['open'] },
  decline: { assignee: ['dispatched', 'accepted'] },
  fulfil: { assignee: ['accepted'] },
  rate: { requester: ['fulfilled'] },
  cancel: { requester: ['submitted', 'open', 'dispatched'] },
  reopen: { requester: ['fulfilled', 'closed'] },
};

/** Who may see an order, in which statuses (every one where none is listed). */
export const VIEWERS: Record<OrderRelation, readonly OrderStatus[] | 'any'> = {
  requester: 'any',
  assignee: 'any',
  dispatcher: 'any',
  // A volunteer of the area sees what waits in their hall, not what others are doing.
  areaVolunteer: ['open'],
};

export interface ViewerContext extends Viewer {
  /** The areas of the caller's volunteer registration (empty if not a volunteer). */
  volunteerAreas: readonly string[];
  /** The skills of the caller's volunteer registration. */
  skills: readonly string[];
}

export function relationsTo(order: OrderDoc, v: ViewerContext): OrderRelation[] {
  const out: OrderRelation[] = [];
  if (isRequester(order, v)) out.push('requester');
  if (isAssignee(order, v)) out.push('assignee');
  if (isDispatcher(order, v)) out.push('dispatcher');
  if (servesScope(order, v.volunteerAreas)) out.push('areaVolunteer');
  return out;
}

export function mayView(order: Pick<OrderDoc, 'status'>, relations: readonly OrderRelation[]): boolean {
  return relations.some((r) => {
    const statuses = VIEWERS[r];
    return statuses === 'any' || statuses.includes(order.status);
  });
}

/**
 * The volunteer's phone goes to the villager who asked and to the staff only while the volunteer holds
 * the order (accepted): each side can call the other while the work is under way, and not after.
 */
export function seesAssigneePhone(order: Pick<OrderDoc, 'status'>, relations: readonly OrderRelation[]): boolean {
  return order.status === 'accepted' && relations.some((r) => r === 'requester' || r === 'dispatcher');
}

/** A decision's refusal: the error code and the plain words the caller sees. */
export interface Refusal {
  code: 'FORBIDDEN' | 'CONFLICT';
  message: string;
}

const DAY_MS = 86_400_000;

/** Open orders a volunteer may hold at once by claiming from the hall (a dispatcher may give more). */
export const MAX_CLAIMED = 5;
const HOUR_MS = 3_600_000;

/**
 * Whether the caller may take `action` on the order now. Who they are comes first (FORBIDDEN), then
 * the order's status (CONFLICT): a stranger learns nothing about an order's state.
 */
export function refusal(
  order: OrderDoc,
  action: OrderAction,
  relations: readonly OrderRelation[],
  v: Pick<ViewerContext, 'openid' | 'skills'>,
  settings: OrderSettings,
  now: Date,
): Refusal | null {
  const rule = TRANSITIONS[action];
  const mine = relations.filter((r) => rule[r]);
  if (mine.length === 0) return { code: 'FORBIDDEN', message: '您不能办理这个需求。' };
  const as = mine.filter((r) => rule[r]!.includes(order.status));
  if (as.length === 0) return { code: 'CONFLICT', message: '这个需求现在的状态不能这样办理。' };
  // Claiming from the hall: a volunteer with the skill, not the requester, not one who passed it over.
  if (as.length === 1 && as[0] === 'areaVolunteer') {
    if (!v.skills.includes(order.category) || isRequester(order, v) || order.passedOver.includes(v.openid)) {
      return { code: 'FORBIDDEN', message: '您不能办理这个需求。' };
    }
  }
  if (action === 'reopen') {
    const since = order.fulfilledAt ? now.getTime() - new Date(order.fulfilledAt).getTime() : Infinity;
    if (since > settings.reopenDays * DAY_MS) {
      return { code: 'FORBIDDEN', message: `完成超过${settings.reopenDays}天了，不能再重新打开，请重新发布。` };
    }
  }
  return null;
}

/** The transitions a page may offer the caller now: its `can` list. */
export function allowedActions(order: OrderDoc, v: ViewerContext, settings: OrderSettings, now: Date): OrderAction[] {
  const relations = relationsTo(order, v);
  return (Object.keys(TRANSITIONS) as OrderAction[]).filter(
    (a) => refusal(order, a, relations, v, settings, now) === null,
  );
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
