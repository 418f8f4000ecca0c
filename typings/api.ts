/**
 * The API contract between the mini-program and the cloud functions: for each function, its actions
 * with their request and response types. The event a function receives is `{ action, ...request }`;
 * it answers `Result<response>`.
 */
import type { Category, Level, PointKind, RoleGrant } from './domain';
import type { OrderKind, OrderLevel, OrderSettings, OrderStatus, TemplateKey } from './order';
import type { ActivityApi } from './activity';
import type { IntegralApi } from './integral';
import type { StatsApi } from './stats';
import type { ContactReveal, UserApi } from './user';

export type {
  Household,
  VolunteerProfile,
  ContactReveal,
  Me,
  MyDataList,
  MyDataPage,
  MyOrderLine,
  MyHoursLine,
  MyPointsLine,
  MyRevealLine,
  MyData,
  Closed,
  Person,
  UserApi,
} from './user';

/** A request with no fields beyond the action (the function refuses any extra one). */
export type NoFields = Record<never, never>;

export interface Profile {
  openid: string;
  roles: RoleGrant[];
  /** True only on the login that created the record. */
  isNew: boolean;
  nickname: string | null;
  createdAt: string;
  stationId: string | null;
  householdId: string | null;
}

/** A node of the four-level network. */
export interface OrgNode {
  id: string;
  level: Level;
  name: string;
  parentId: string | null;
  /** The ids from the center down to the parent: "everything under X" is one query on this. */
  ancestors: string[];
  /** Practice points always have one; other levels may (the station's office, the institute's hall). */
  location: { lat: number; lng: number } | null;
  address: string | null;
  /** Practice points only. */
  kind: PointKind | null;
  /** Opening hours in plain words, e.g. "每天 8:30-11:30，14:00-17:30". */
  hours: string | null;
}

export interface OrgCounts {
  institutes: number;
  stations: number;
  points: number;
}

export interface TreeNode extends OrgNode {
  /** How many direct children the node has (all of them, not only those returned). */
  childCount: number;
  children?: TreeNode[];
}

export interface NearbyPoint extends OrgNode {
  distanceM: number;
  stationName: string;
}

export interface OrgApi {
  /** A node with the counts of its subtree; without id, the center (the root). */
  /** A node with its counts and the path above it; a station also says whether it dispatches automatically. */
  get: {
    req: { id?: string };
    res: OrgNode & { counts: OrgCounts; path: { id: string; name: string }[]; autoDispatch?: boolean };
  };
  /** A node with a page of its children (and, with depth 2, theirs, up to 50 each). */
  tree: {
    req: { id: string; depth?: number; page?: number; pageSize?: number };
    res: TreeNode & { nextPage: number | null };
  };
  /** Practice points within radiusM of a location, nearest first: the ten-minute circle. */
  nearby: { req: { lat: number; lng: number; radiusM: number; limit?: number }; res: { points: NearbyPoint[] } };
  /** Nodes whose name contains the words, e.g. a village for the station picker. */
  search: {
    req: { q: string; level?: Level; under?: string; page?: number };
    res: { nodes: (OrgNode & { parentName: string })[]; nextPage: number | null };
  };
  /** Nearest stations to a location (the picker's "nearest" tab). */
  nearestStations: {
    req: { lat: number; lng: number; limit?: number };
    res: { stations: (OrgNode & { distanceM: number })[] };
  };
  /** Admin edits within scope: a new station under an institute, a new point under a station. */
  create: {
    req: {
      parentId: string;
      id?: string;
      name: string;
      location?: { lat: number; lng: number };
      address?: string;
      kind?: PointKind;
      hours?: string;
    };
    res: OrgNode;
  };
  /** Retires a mistaken node (an admin above it): hidden from lists and pickers, its records kept. */
  retire: { req: { parentId: string; id: string; reason: string }; res: OrgNode };
  update: {
    req: {
      id: string;
      name?: string;
      location?: { lat: number; lng: number } | null;
      address?: string | null;
      kind?: PointKind;
      hours?: string | null;
    };
    res: OrgNode;
  };
}

export interface OrderCounts {
  submitted: number;
  open: number;
  overdue: number;
  red: number;
}

/** One step of an order's timeline. */
export interface OrderEvent {
  /** The status before and after; equal for events that do not move it (escalated, photo checked). */
  from: OrderStatus | null;
  to: OrderStatus;
  /** What happened, e.g. created, reviewed, dispatched, declined, skipped, escalated, rated, autoClosed. */
  type: string;
  /** Who did it: an openid, or 'system' for the timer. */
  by: string;
  byName: string;
  at: string;
  note?: string;
}

export interface OrderPhoto {
  fileId: string;
  /** Photos are shown only once WeChat's image check has passed. */
  check: 'pending' | 'pass' | 'rejected';
  /** A temporary https address to show it by (valid for two hours); null if storage could not give one. */
  url?: string | null;
}

export interface OrderSummary {
  id: string;
  kind: OrderKind;
  category: Category;
  title: string;
  status: OrderStatus;
  level: OrderLevel;
  /** Past its deadline at the center: shown in red. */
  overdue: boolean;
  stationId: string;
  stationName: string;
  pointName: string | null;
  createdAt: string;
  /** Metres from the caller, where the list is by distance (the task hall). */
  distanceM?: number;
  /** In the area's lists (station heads and above): who asked, and the start of what they wrote. */
  requesterName?: string | null;
  excerpt?: string;
  /** In the area's lists: the volunteer holding it (dispatched or accepted), and when it was last urged. */
  assigneeName?: string | null;
  urgedAt?: string | null;
}

export interface Order extends OrderSummary {
  content: string;
  photos: OrderPhoto[];
  pointId: string | null;
  location: { lat: number; lng: number } | null;
  requester: { openid: string; name: string | null };
  /** The requester's phone and exact address: only to the assigned volunteer and the station's heads and above. */
  contact: { phone: string | null; address: string | null } | null;
  assignee: { openid: string; name: string } | null;
  /** The assigned volunteer's phone, while they hold the order (accepted): to its requester and its staff. */
  assigneePhone?: string;
  dueAt: string | null;
  /** `minutes`: the time the volunteer stated they spent (recorded hours once rated or closed). */
  fulfilment: { note: string; photos: OrderPhoto[]; at: string; minutes?: number | null } | null;
  rating: { stars: number; comment: string | null; auto: boolean; at: string } | null;
  events: OrderEvent[];
  /** What the caller may do now, so pages show only buttons that will work. */
  can: OrderAction[];
}

export type OrderAction = 'review' | 'dispatch' | 'accept' | 'decline' | 'fulfil' | 'rate' | 'cancel' | 'reopen';

export interface Candidate {
  openid: string;
  name: string;
  /** Higher is better; the list is best first. */
  score: number;
  /** Why it ranks here, in plain words: 同村, 1.2公里, 会健康服务, 手上0单, 评分4.8, 周六上午有空. */
  reasons: string[];
  distanceM: number | null;
  load: number;
  rating: number | null;
}

export interface Message {
  id: string;
  title: string;
  body: string;
  orderId: string | null;
  read: boolean;
  createdAt: string;
}

/** The task hall's distance filter (1, 3 and 5 km; none: 全部). */
export const HALL_RADII = [1000, 3000, 5000] as const;
export type HallRadius = (typeof HALL_RADII)[number];

export type OrderListScope = 'mine' | 'assigned' | 'area';

export interface OrderApi {
  /** 百姓点单: a villager posts a need. Retrying with the same requestId makes one order. */
  create: {
    req: {
      kind: OrderKind;
      category: Category;
      title: string;
      content: string;
      pointId?: string;
      location?: { lat: number; lng: number };
      photos?: string[];
      /** The requester's contact for the volunteer: phone and exact address (kept private). */
      contact?: { phone?: string; address?: string };
      requestId: string;
      /** Post even though a similar open order exists nearby. */
      acknowledgeSimilar?: boolean;
    };
    res: { id: string; status: OrderStatus };
  };
  /** Open orders of the same category close by: shown before posting, as FixMyStreet does. */
  similar: {
    req: { category: Category; pointId?: string; location?: { lat: number; lng: number } };
    res: { orders: (OrderSummary & { distanceM: number })[] };
  };
  get: { req: { id: string }; res: Order };
  /** mine: what I asked for; assigned: what I am doing; area: what my scope holds (station heads and above). */
  list: {
    req: { scope: OrderListScope; status?: OrderStatus[]; overdue?: boolean; level?: OrderLevel; page?: number };
    res: { orders: OrderSummary[]; nextPage: number | null };
  };
  /**
   * The numbers that call for action in a scope (station heads and above; the node asked for, or the
   * caller's widest): waiting for review, waiting for dispatch, past their deadline, and red (past the
   * deadline at the county center, the last level).
   */
  counts: {
    req: { orgId?: string };
    res: OrderCounts;
  };
  /**
   * What a volunteer may take: open orders in their area and skills, nearest first. category: one
   * service only; withinM: only orders with a place within that distance of the caller (or, without a
   * location, of their first station) — not applied when neither is known.
   */
  hall: {
    req: { page?: number; lat?: number; lng?: number; category?: Category; withinM?: HallRadius };
    res: { orders: OrderSummary[]; nextPage: number | null };
  };
  /** Who saw which requester's contact under a node, and the volunteers flagged for declining after seeing. */
  reveals: {
    req: { stationId: string; page?: number };
    res: {
      reveals: ContactReveal[];
      flagged: { openid: string; name: string; declinesAfterReveal: number }[];
      nextPage: number | null;
    };
  };
  review: { req: { id: string; approve: boolean; reason?: string }; res: Order };
  candidates: { req: { id: string }; res: { candidates: Candidate[] } };
  dispatch: { req: { id: string; volunteer: string }; res: Order };
  accept: { req: { id: string }; res: Order };
  decline: { req: { id: string; reason: string }; res: Order };
  /** `minutes`: the time spent, at most the settings' maxServiceMinutes; counted once rated or closed. */
  fulfil: { req: { id: string; note: string; photos?: string[]; minutes?: number }; res: Order };
  rate: { req: { id: string; stars: number; comment?: string }; res: Order };
  cancel: { req: { id: string }; res: Order };
  reopen: { req: { id: string; reason: string }; res: Order };
  /**
   * 催办: a station head or admin in scope reminds the volunteer holding the order (dispatched or
   * accepted), once in URGE_EVERY_HOURS; retrying with the same requestId answers the one reminder.
   */
  urge: { req: { id: string; requestId: string }; res: Order };
  /** The center's settings: SLAs per level, timeouts, limits. */
  settings: { req: NoFields; res: OrderSettings };
  setSettings: {
    req: {
      settings: Omit<OrderSettings, 'maxServiceMinutes' | 'placeWithinM'> & {
        maxServiceMinutes?: number;
        placeWithinM?: number;
      };
    };
    res: OrderSettings;
  };
  /** A station lets the top candidate be dispatched automatically. */
  setAutoDispatch: { req: { stationId: string; on: boolean }; res: { stationId: string; on: boolean } };
  /** The caller's in-app messages, newest first. */
  messages: {
    req: { page?: number; unreadOnly?: boolean };
    res: { messages: Message[]; unread: number; nextPage: number | null };
  };
  markRead: { req: { ids: string[] }; res: { unread: number } };
  /** The caller accepted subscribe messages (wx.requestSubscribeMessage): one accept, one send. */
  subscribed: { req: { templates: TemplateKey[] }; res: { ok: true } };
}

/** All functions, by deployed name. */
export interface Api {
  user: UserApi;
  org: OrgApi;
  order: OrderApi;
  activity: ActivityApi;
  integral: IntegralApi;
  stats: StatsApi;
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
export type Req<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { req: infer R } ? R : never;
export type Res<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { res: infer R } ? R : never;
