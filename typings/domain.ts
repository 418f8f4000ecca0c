/**
 * Domain vocabulary shared by the mini-program and the cloud functions: roles, tree levels and the
 * ten service categories (十送), each with its Chinese label. Defined once, used on both sides.
 */
export const ROLES = ['villager', 'volunteer', 'stationHead', 'instituteAdmin', 'centerAdmin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  villager: '群众',
  volunteer: '志愿者',
  stationHead: '站长',
  instituteAdmin: '所长',
  centerAdmin: '中心管理员',
};

/** The four levels of the network: center → institute (实践所) → station (实践站) → practice point (实践点). */
export const LEVELS = ['center', 'institute', 'station', 'point'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Record<Level, string> = {
  center: '实践中心',
  institute: '实践所',
  station: '实践站',
  point: '实践点',
};

/** The ten services (十送). */
export const CATEGORIES = [
  'theory',
  'policy',
  'education',
  'arts',
  'law',
  'employment',
  'technology',
  'health',
  'charity',
  'customs',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  theory: '送理论',
  policy: '送政策',
  education: '送教育',
  arts: '送文艺',
  law: '送法律',
  employment: '送就业',
  technology: '送科技',
  health: '送健康',
  charity: '送爱心',
  customs: '送新风',
};

/** A role held at a node of the tree; it covers the node's whole subtree. */
export interface RoleGrant {
  role: Role;
  /** The node the role is held at; null only before a villager has bound to a station. */
  orgId: string | null;
}

/** Kinds of practice point (实践点), with the names villagers use for them. */
export const POINT_KINDS = [
  'hall',
  'library',
  'square',
  'partyRoom',
  'elderly',
  'school',
  'clinic',
  'farm',
  'other',
] as const;
export type PointKind = (typeof POINT_KINDS)[number];

export const POINT_KIND_LABELS: Record<PointKind, string> = {
  hall: '文化礼堂',
  library: '农家书屋',
  square: '文体广场',
  partyRoom: '党员活动室',
  elderly: '老年活动中心',
  school: '新时代学堂',
  clinic: '卫生服务站',
  farm: '田间课堂',
  other: '其他实践点',
};

/** What each role may be granted at: a role is always held at a node of its own level. */
export const ROLE_LEVEL: Record<Role, Level> = {
  villager: 'station',
  volunteer: 'station',
  stationHead: 'station',
  instituteAdmin: 'institute',
  centerAdmin: 'center',
};

/** Who may appoint whom: the center appoints institute admins (and fellow center admins), institutes appoint station heads. */
export const GRANTABLE: Record<Role, readonly Role[]> = {
  centerAdmin: ['centerAdmin', 'instituteAdmin'],
  instituteAdmin: ['stationHead'],
  stationHead: [],
  volunteer: [],
  villager: [],
};

/**
 * Station heads and above, lowest first: they review and dispatch orders, see the people and edit the
 * network of their scope (and see the phones of the volunteers they may dispatch).
 */
export const DISPATCHER_ROLES: readonly Role[] = ['stationHead', 'instituteAdmin', 'centerAdmin'];

/** The roles that may appoint `role` (GRANTABLE read the other way round). */
export function appointersOf(role: Role): Role[] {
  return ROLES.filter((r) => GRANTABLE[r].includes(role));
}

/**
 * The roles that may revoke `role`: those who appoint it, and any admin of a level above it (an
 * appointment made below can always be undone from above, within the admin's subtree).
 */
export function revokersOf(role: Role): Role[] {
  const appointers = appointersOf(role);
  if (appointers.length === 0) return [];
  const above = (r: Role) =>
    GRANTABLE[r].length > 0 && LEVELS.indexOf(ROLE_LEVEL[r]) < LEVELS.indexOf(ROLE_LEVEL[role]);
  return ROLES.filter((r) => appointers.includes(r) || above(r));
}

/** Half-day slots a volunteer can offer, by weekday (1 = Monday … 7 = Sunday). */
export interface Availability {
  weekdays: number[];
  slots: ('morning' | 'afternoon' | 'evening')[];
  note?: string;
}

/**
 * A volunteer registration's state: pending until a station head of one of its stations approves it
 * (and again after stations are added), rejected by them, active, or paused.
 */
export const VOLUNTEER_STATUSES = ['pending', 'active', 'paused', 'rejected'] as const;
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];

/**
 * Daily allowances against churn (a volunteer collecting contacts by taking and dropping orders): declines
 * and station changes per Asia/Shanghai day, and the declines after seeing a contact that flag a volunteer
 * to their station heads.
 */
/**
 * Households (户): at most `members` people, and at most `requests` joining requests waiting for the
 * head at once. Joining another household is a request the head approves on their 我的 page.
 */
export const HOUSEHOLD_LIMITS = { members: 12, requests: 5 } as const;

export const VOLUNTEER_LIMITS = { declinesPerDay: 3, stationChangesPerDay: 2, flagAfterRevealDeclines: 3 } as const;

export const SLOT_LABELS = { morning: '上午', afternoon: '下午', evening: '晚上' } as const;

/** How a closed account (注销) reads wherever its records stay: orders, hours, points. */
export const CLOSED_NAME = '已注销用户';
