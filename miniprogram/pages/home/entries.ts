/**
 * What each role can do from 首页, and where it leads. Only what is built is offered: points (积分) come
 * with their own capability. Should a route be missing all the same,
 * wx.navigateTo fails and services/navigate.ts says so plainly.
 */
export interface Entry {
  id: string;
  title: string;
  desc: string;
  url: string;
}

export const VILLAGER_ENTRIES: Entry[] = [
  {
    id: 'order-create',
    title: '我要点单（发布需求）',
    desc: '有难处、有心愿，说出来，志愿者来帮您',
    url: '/packages/order/create/index',
  },
  {
    id: 'order-mine',
    title: '我的心愿/订单',
    desc: '看看办到哪一步了，办好了给个评价',
    url: '/packages/order/mine/index',
  },
  {
    id: 'messages',
    title: '我的消息',
    desc: '审核、接单、办好了，都会在这里告诉您',
    url: '/packages/order/messages/index',
  },
];

export const VOLUNTEER_ENTRIES: Entry[] = [
  { id: 'order-hall', title: '任务大厅', desc: '看看乡亲们需要什么帮助，接一单', url: '/packages/order/hall/index' },
  {
    id: 'order-tasks',
    title: '我的任务',
    desc: '我接下的任务，办好了上传照片销单',
    url: '/packages/order/tasks/index',
  },
  { id: 'messages', title: '我的消息', desc: '派给我的任务、收到的评价', url: '/packages/order/messages/index' },
  {
    id: 'activity-scan',
    title: '扫码签到',
    desc: '到了活动现场，扫站长手机上的码',
    url: '/packages/activity/scan/index',
  },
  {
    id: 'activity-list',
    title: '活动报名',
    desc: '身边和本村的志愿活动，报个名',
    url: '/packages/activity/list/index',
  },
  {
    id: 'activity-hours',
    title: '我的服务时长',
    desc: '服务了多少小时、几星志愿者，开证明',
    url: '/packages/activity/hours/index',
  },
];

export const STATION_ENTRIES: Entry[] = [
  {
    id: 'order-review',
    title: '待审核',
    desc: '乡亲们新发的需求和心愿，先看一看',
    url: '/packages/order/review/index?status=submitted',
  },
  {
    id: 'order-dispatch',
    title: '待派单',
    desc: '审核过的需求，派给合适的志愿者',
    url: '/packages/order/review/index?status=open',
  },
  {
    id: 'order-overdue',
    title: '逾期',
    desc: '超过时间还没办好的，要催一催',
    url: '/packages/order/review/index?status=overdue',
  },
  { id: 'station-people', title: '人员名单', desc: '本村（社区）的群众和志愿者', url: '/packages/admin/people/index' },
  {
    id: 'activity-manage',
    title: '活动与签到',
    desc: '办活动、亮签到码、看签到名单、补记时长',
    url: '/packages/activity/manage/index',
  },
];

export const ADMIN_ENTRIES: Entry[] = [
  {
    id: 'admin-orders',
    title: '辖区需求',
    desc: '待审核、待派单，逾期和上报到这一级的',
    url: '/packages/order/review/index',
  },
  { id: 'admin-people', title: '人员名单', desc: '辖区里的群众、志愿者和站长', url: '/packages/admin/people/index' },
  {
    id: 'admin-appoint',
    title: '任命站长/所长',
    desc: '给实践站、实践所安排负责人',
    url: '/packages/admin/appoint/index',
  },
];

export const BIND_URL = '/packages/profile/bind/index';
