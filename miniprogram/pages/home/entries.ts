/**
 * What each role can do from 首页, and where it leads. Only what is built is offered. Should a route be
 * missing all the same, wx.navigateTo fails and services/navigate.ts says so plainly.
 */
import { pageUrl } from '../../routes';

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
    url: pageUrl('orderCreate'),
  },
  {
    id: 'order-mine',
    title: '我的心愿/订单',
    desc: '看看办到哪一步了，办好了给个评价',
    url: pageUrl('orderMine'),
  },
  {
    id: 'integral',
    title: '我家积分',
    desc: '看积分、申报好事、去积分超市换东西',
    url: pageUrl('integralHome'),
  },
  {
    id: 'messages',
    title: '我的消息',
    desc: '审核、接单、办好了，都会在这里告诉您',
    url: pageUrl('messages'),
  },
];

export const VOLUNTEER_ENTRIES: Entry[] = [
  { id: 'order-hall', title: '任务大厅', desc: '看看乡亲们需要什么帮助，接一单', url: pageUrl('orderHall') },
  {
    id: 'order-tasks',
    title: '我的任务',
    desc: '我接下的任务，办好了上传照片销单',
    url: pageUrl('orderTasks'),
  },
  { id: 'messages', title: '我的消息', desc: '派给我的任务、收到的评价', url: pageUrl('messages') },
  {
    id: 'activity-scan',
    title: '扫码签到',
    desc: '到了活动现场，扫站长手机上的码',
    url: pageUrl('activityScan'),
  },
  {
    id: 'activity-list',
    title: '活动报名',
    desc: '身边和本村的志愿活动，报个名',
    url: pageUrl('activityList'),
  },
  {
    id: 'activity-hours',
    title: '我的服务时长',
    desc: '服务了多少小时、几星志愿者，开证明',
    url: pageUrl('activityHours'),
  },
];

export const STATION_ENTRIES: Entry[] = [
  {
    id: 'volunteer-review',
    title: '志愿者审核',
    desc: '新登记的志愿者，核实后同意，才能接单',
    url: pageUrl('volunteerReview'),
  },
  {
    id: 'order-review',
    title: '待审核',
    desc: '乡亲们新发的需求和心愿，先看一看',
    url: pageUrl('orderReview', { status: 'submitted' }),
  },
  {
    id: 'order-dispatch',
    title: '待派单',
    desc: '审核过的需求，派给合适的志愿者',
    url: pageUrl('orderReview', { status: 'open' }),
  },
  {
    id: 'order-overdue',
    title: '逾期',
    desc: '超过时间还没办好的，要催一催',
    url: pageUrl('orderReview', { status: 'overdue' }),
  },
  {
    id: 'station-stats',
    title: '本村数据',
    desc: '点单、办好、实现率，本村各点一目了然',
    url: pageUrl('statsDashboard'),
  },
  { id: 'station-league', title: '考核排名', desc: '全县各站的考核得分和排名', url: pageUrl('statsLeague') },
  { id: 'station-people', title: '人员名单', desc: '本村（社区）的群众和志愿者', url: pageUrl('people') },
  {
    id: 'integral-review',
    title: '积分审核',
    desc: '乡亲们申报的积分，加分扣分',
    url: pageUrl('integralReview'),
  },
  {
    id: 'integral-notices',
    title: '积分公示与异议',
    desc: '正在公示的积分，村民提的异议',
    url: pageUrl('integralNotices', { manage: '1' }),
  },
  { id: 'integral-shop', title: '积分超市管理', desc: '上架补货，核销取货码', url: pageUrl('integralManage') },
  {
    id: 'activity-manage',
    title: '活动与签到',
    desc: '办活动、亮签到码、看签到名单、补记时长',
    url: pageUrl('activityManage'),
  },
];

export const ADMIN_ENTRIES: Entry[] = [
  {
    id: 'admin-stats',
    title: '指挥中心',
    desc: '点单、办好、实现率、时长、积分，看哪里落后',
    url: pageUrl('statsDashboard'),
  },
  { id: 'admin-league', title: '考核排名', desc: '各所、各站的考核得分和排名', url: pageUrl('statsLeague') },
  {
    id: 'admin-orders',
    title: '辖区需求',
    desc: '待审核、待派单，逾期和上报到这一级的',
    url: pageUrl('orderReview'),
  },
  { id: 'admin-people', title: '人员名单', desc: '辖区里的群众、志愿者和站长', url: pageUrl('people') },
  {
    id: 'admin-integral',
    title: '积分复核',
    desc: '分值较大的加分扣分，要所里再批一次',
    url: pageUrl('integralReview', { scope: 'second' }),
  },
  {
    id: 'admin-appoint',
    title: '任命站长/所长',
    desc: '给实践站、实践所安排负责人',
    url: pageUrl('appoint'),
  },
];
