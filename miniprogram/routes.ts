/**
 * Every page of the mini-program by name, with the query it takes: the one place a page's URL is
 * written. Navigation (services/navigate.ts) and links kept in data (首页's entries) build their URLs
 * with pageUrl, so a moved page is changed here and in app.json only; a test holds the two together.
 */
export const PAGES = {
  home: { path: 'pages/home/index', tab: true },
  nearby: { path: 'pages/nearby/index', tab: true },
  me: { path: 'pages/me/index', tab: true },
  bind: { path: 'packages/profile/bind/index', tab: false },
  volunteer: { path: 'packages/profile/volunteer/index', tab: false },
  myData: { path: 'packages/profile/mydata/index', tab: false },
  people: { path: 'packages/admin/people/index', tab: false },
  volunteerReview: { path: 'packages/admin/volunteers/index', tab: false },
  appoint: { path: 'packages/admin/appoint/index', tab: false },
  stationSettings: { path: 'packages/admin/station/index', tab: false },
  adminPoints: { path: 'packages/admin/points/index', tab: false },
  statsDashboard: { path: 'packages/admin/dashboard/index', tab: false },
  statsLeague: { path: 'packages/admin/league/index', tab: false },
  statsRecords: { path: 'packages/admin/records/index', tab: false },
  orderCreate: { path: 'packages/order/create/index', tab: false },
  orderMine: { path: 'packages/order/mine/index', tab: false },
  orderDetail: { path: 'packages/order/detail/index', tab: false },
  orderHall: { path: 'packages/order/hall/index', tab: false },
  orderTasks: { path: 'packages/order/tasks/index', tab: false },
  orderReview: { path: 'packages/order/review/index', tab: false },
  orderDispatch: { path: 'packages/order/dispatch/index', tab: false },
  messages: { path: 'packages/order/messages/index', tab: false },
  integralHome: { path: 'packages/integral/home/index', tab: false },
  integralClaim: { path: 'packages/integral/claim/index', tab: false },
  integralNotices: { path: 'packages/integral/notices/index', tab: false },
  integralShop: { path: 'packages/integral/shop/index', tab: false },
  integralRank: { path: 'packages/integral/rank/index', tab: false },
  integralReview: { path: 'packages/integral/review/index', tab: false },
  integralManage: { path: 'packages/integral/manage/index', tab: false },
  integralSettings: { path: 'packages/integral/settings/index', tab: false },
  activityScan: { path: 'packages/activity/scan/index', tab: false },
  activityList: { path: 'packages/activity/list/index', tab: false },
  activityDetail: { path: 'packages/activity/detail/index', tab: false },
  activityHours: { path: 'packages/activity/hours/index', tab: false },
  activityCertificates: { path: 'packages/activity/certificates/index', tab: false },
  activityVerify: { path: 'packages/activity/verify/index', tab: false },
  activityManage: { path: 'packages/activity/manage/index', tab: false },
  activityCode: { path: 'packages/activity/code/index', tab: false },
  activityRoll: { path: 'packages/activity/roll/index', tab: false },
  activityHonour: { path: 'packages/activity/honour/index', tab: false },
  activityPoint: { path: 'packages/activity/point/index', tab: false },
} as const;

export type PageName = keyof typeof PAGES;
/** The tabBar pages: opened with wx.switchTab, never with a query. */
export type TabName = { [N in PageName]: (typeof PAGES)[N]['tab'] extends true ? N : never }[PageName];

/** What each page reads from its query; a page not listed takes none. */
interface PageQueries {
  orderDetail: { id: string };
  orderDispatch: { id: string };
  appoint: { openid?: string };
  statsDashboard: { orgId?: string; from?: string; to?: string; period?: 'month' | 'year' };
  statsLeague: { level?: 'institute' | 'station' };
  statsRecords: { show?: 'posted' | 'fulfilled' };
  orderReview: { status?: 'submitted' | 'open' | 'overdue' };
  integralNotices: { manage?: '1' };
  integralShop: { tab?: 'codes' };
  integralReview: { tab?: 'award'; scope?: 'second' | 'flagged' };
  orderCreate: { pointId?: string };
  adminPoints: { stationId?: string };
  activityList: { tab?: 'near' | 'area' | 'mine' };
  activityDetail: { id: string };
  activityVerify: { code?: string };
  activityManage: { pointId?: string };
  activityCode: { id: string };
  activityRoll: { id: string };
  activityPoint: { id: string };
}

type QueryArgs<N extends PageName> = N extends keyof PageQueries
  ? Partial<PageQueries[N]> extends PageQueries[N]
    ? [query?: PageQueries[N]]
    : [query: PageQueries[N]]
  : [];

/** `/packages/order/detail/index?id=…`: the page's URL, its query encoded. */
export function pageUrl<N extends PageName>(name: N, ...[query]: QueryArgs<N>): string {
  const params = Object.entries((query ?? {}) as Record<string, string | undefined>)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return `/${PAGES[name].path}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}
