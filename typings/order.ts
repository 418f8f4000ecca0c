/**
 * The five-order method (五单工作法) as data: statuses with their labels, the kinds of order with
 * their categories, reviewers and SLAs, and the subscribe-message templates. Shared by both sides.
 */
import type { Category, Level } from './domain';
import { CATEGORIES } from './domain';
import type { OrderAction } from './api';

export const ORDER_STATUSES = [
  'submitted',
  'open',
  'dispatched',
  'accepted',
  'fulfilled',
  'closed',
  'rejected',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface StatusInfo {
  label: string;
  /** Still being worked on: counted as open work, watched by the timer. */
  active: boolean;
  /** Plain words for the villager about what happens next. */
  hint: string;
}

export const STATUS_INFO: Record<OrderStatus, StatusInfo> = {
  submitted: { label: '待审核', active: true, hint: '站长会尽快审核您的需求。' },
  open: { label: '待派单', active: true, hint: '审核通过了，正在为您找合适的志愿者。' },
  dispatched: { label: '已派单', active: true, hint: '已经派给志愿者，等待志愿者确认。' },
  accepted: { label: '服务中', active: true, hint: '志愿者已接单，正在为您办理。' },
  fulfilled: { label: '待评价', active: true, hint: '志愿者说已经办好了，请您评价。' },
  closed: { label: '已完成', active: false, hint: '这件事已经办完了。' },
  rejected: { label: '未通过', active: false, hint: '这个需求没有通过审核，原因见下方。' },
  cancelled: { label: '已取消', active: false, hint: '您已经取消了这个需求。' },
};

/** Still being worked on (STATUS_INFO's `active`): the open work lists, the timer, similar orders nearby. */
export const ACTIVE_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => STATUS_INFO[s].active);

/** What each kind of event on an order's timeline is called there, and the action whose step it records. */
export interface OrderEventInfo {
  label: string;
  /** The transition a person makes that records it; null for the post itself and the timer's steps. */
  action: OrderAction | null;
}

export const ORDER_EVENTS = {
  created: { label: '提交了需求', action: null },
  reviewed: { label: '审核通过', action: 'review' },
  rejected: { label: '审核没有通过', action: 'review' },
  dispatched: { label: '派单给志愿者', action: 'dispatch' },
  accepted: { label: '志愿者接单', action: 'accept' },
  claimed: { label: '志愿者从任务大厅接单', action: 'accept' },
  declined: { label: '志愿者没有接这一单', action: 'decline' },
  skipped: { label: '志愿者超时没有接单，重新派单', action: null },
  escalated: { label: '超时没人办，已上报上一级', action: null },
  overdue: { label: '已经超过期限', action: null },
  fulfilled: { label: '志愿者说已经办好了', action: 'fulfil' },
  rated: { label: '群众评价', action: 'rate' },
  autoClosed: { label: '超时未评价，自动好评', action: null },
  cancelled: { label: '取消了需求', action: 'cancel' },
  reopened: { label: '群众说没办好，重新打开', action: 'reopen' },
  urged: { label: '站长催办，提醒志愿者抓紧办', action: null },
} as const satisfies Record<string, OrderEventInfo>;
export type OrderEventType = keyof typeof ORDER_EVENTS;

/** The event types that record a step of `action`. */
export function eventTypesOf(action: OrderAction): OrderEventType[] {
  return (Object.keys(ORDER_EVENTS) as OrderEventType[]).filter((t) => ORDER_EVENTS[t].action === action);
}

/** A station head or admin may urge the volunteer holding an order once in this many hours (order.urge). */
export const URGE_EVERY_HOURS = 4;

/** What a posted order may hold: the order function refuses more, the create page says so first. */
export const ORDER_LIMITS = {
  titleMin: 4,
  titleMax: 30,
  contentMin: 5,
  contentMax: 500,
  addressMax: 80,
  photos: 3,
} as const;

/** A mobile number (11 digits) or a landline with its area code, as a contact for an order. */
export const CONTACT_PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

export const ORDER_KINDS = ['wish', 'whistle'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** The levels an order can be held at, lowest first: it climbs one step at each SLA breach. */
export const ORDER_LEVELS = ['station', 'institute', 'center'] as const satisfies readonly Level[];
export type OrderLevel = (typeof ORDER_LEVELS)[number];

/** Hours allowed per stage at each level before the order climbs a level (or, at the center, turns red). */
export interface StageSla {
  /** submitted → reviewed */
  reviewHours: number;
  /** open or dispatched → accepted */
  takeHours: number;
  /** accepted → fulfilled */
  fulfilHours: number;
}

export interface OrderSettings {
  sla: Record<OrderLevel, StageSla>;
  /** A dispatched volunteer who has not accepted within this many hours is skipped. */
  acceptHours: number;
  /** A fulfilled order not rated within this many days closes with an automatic rating. */
  autoCloseDays: number;
  /** The stars the automatic rating gives. */
  autoCloseStars: number;
  /** A requester may reopen a closed order within this many days of its fulfilment. */
  reopenDays: number;
  /** New orders a villager may post per day (Asia/Shanghai calendar day). */
  dailyLimit: number;
  /** Open orders of the same category within this distance are shown as possible duplicates. */
  similarWithinM: number;
  /**
   * The most time a volunteer may state for fulfilling one order, in minutes: it counts as recorded
   * service hours once the requester rates it or it closes. Optional in a request; 480 by default.
   */
  maxServiceMinutes: number;
  /** An order's place (a practice point or a location) lies within this distance of the requester's station. */
  placeWithinM: number;
}

export interface OrderKindInfo {
  label: string;
  /** In plain words, for the villager choosing. */
  description: string;
  /** A few plain words said beside the label wherever it appears (吹哨报到 is a term villagers may not know). */
  plain: string | null;
  categories: readonly Category[];
  /** The level the order starts at (a whistle goes up at once: the village cannot meet it itself). */
  startsAt: OrderLevel;
}

export const ORDER_KIND_INFO: Record<OrderKind, OrderKindInfo> = {
  wish: {
    label: '微心愿',
    description: '一件具体的小事，比如给孙子买个书包、帮邻居老人修个灯。',
    plain: null,
    categories: CATEGORIES,
    startsAt: 'station',
  },
  whistle: {
    label: '吹哨报到',
    description: '村里自己办不了的事，向上级吹哨，请部门或志愿服务队来报到。',
    plain: '村里办不了，请上级来帮',
    categories: CATEGORIES,
    startsAt: 'institute',
  },
};

/** 吹哨报到（村里办不了，请上级来帮）: a kind's label with its plain words, where it is shown alone. */
export function kindLabel(kind: OrderKind): string {
  const info = ORDER_KIND_INFO[kind];
  if (!info) return '';
  return info.plain ? `${info.label}（${info.plain}）` : info.label;
}

export const DEFAULT_ORDER_SETTINGS: OrderSettings = {
  sla: {
    station: { reviewHours: 24, takeHours: 48, fulfilHours: 7 * 24 },
    institute: { reviewHours: 24, takeHours: 48, fulfilHours: 7 * 24 },
    center: { reviewHours: 24, takeHours: 72, fulfilHours: 10 * 24 },
  },
  acceptHours: 12,
  autoCloseDays: 7,
  autoCloseStars: 5,
  reopenDays: 7,
  dailyLimit: 3,
  similarWithinM: 500,
  maxServiceMinutes: 480,
  placeWithinM: 20_000,
};

/** Plain words for each of the ten services, for the category picker. */
export const CATEGORY_HINTS: Record<Category, string> = {
  theory: '想听党的政策理论、红色故事宣讲',
  policy: '不懂医保、社保、补贴这些政策，想有人讲讲',
  education: '孩子作业辅导、课外陪伴、老人学用手机',
  arts: '想看戏、学唱歌跳舞，办文艺活动',
  law: '邻里纠纷、合同、维权，想问问法律',
  employment: '想找工作、学技术、了解招工信息',
  technology: '种养殖技术、农机、网上卖货',
  health: '量血压、看病咨询、送药上门',
  charity: '生活困难，需要物资或上门帮忙',
  customs: '红白喜事简办、移风易俗、环境整治',
};

/** Subscribe-message templates (set the ids of your own mini-program's templates before release). */
export const SUBSCRIBE_TEMPLATES = {
  /** To a volunteer: an order was dispatched to them. Fields: thing1 title, thing2 place, time3 when. */
  dispatched: 'TEMPLATE_ORDER_DISPATCHED',
  /** To the requester: their order changed (accepted, fulfilled, rejected). Fields: thing1 title, phrase2 status, thing3 note. */
  progress: 'TEMPLATE_ORDER_PROGRESS',
  /** To station heads and admins: an order needs them (submitted, escalated, overdue). Fields: thing1 title, phrase2 what, thing3 where. */
  attention: 'TEMPLATE_ORDER_ATTENTION',
} as const;
export type TemplateKey = keyof typeof SUBSCRIBE_TEMPLATES;
