/**
 * 活动与签到名单: the activities under the node starting in the period, and a second sheet with their
 * rosters — who checked in, when in and out, the minutes counted and the flags. The rosters of each
 * page of activities are read page by page too (the activity_in index).
 */
import { CATEGORY_LABELS } from '../../../../typings/domain';
import { CHECKIN_FLAG_LABELS } from '../../../../typings/activity';
import type { ActivityDoc, CheckinDoc } from '../../activity/domain/model';
import { activitiesUnder, checkinsOfActivities } from '../../activity/store-hours';
import type { Exporter } from './job';
import { beijingCell, DATE_TIME, type SheetSpec } from './workbook';

export type ActivityRow = Pick<
  ActivityDoc,
  '_id' | 'title' | 'category' | 'pointName' | 'stationName' | 'startAt' | 'endAt' | 'capacity' | 'signedUp' | 'status'
>;
export type RosterRow = Pick<CheckinDoc, 'activityId' | 'name' | 'inAt' | 'outAt' | 'minutes' | 'flags' | 'review'> & {
  activityTitle: string;
};

export const REVIEW_LABELS: Record<CheckinDoc['review'], string> = {
  none: '',
  pending: '待站长确认',
  confirmed: '已确认',
  rejected: '未认可',
};

export const ACTIVITY_SHEET: SheetSpec<ActivityRow> = {
  name: '活动',
  columns: [
    { header: '活动编号', width: 34, value: (a) => a._id },
    { header: '活动名称', width: 30, value: (a) => a.title },
    { header: '服务类别', width: 10, value: (a) => CATEGORY_LABELS[a.category] ?? a.category },
    { header: '活动地点', width: 24, value: (a) => a.pointName },
    { header: '所属站点', width: 28, value: (a) => a.stationName },
    { header: '开始时间', width: 18, format: DATE_TIME, value: (a) => beijingCell(a.startAt) },
    { header: '结束时间', width: 18, format: DATE_TIME, value: (a) => beijingCell(a.endAt) },
    { header: '名额', width: 8, value: (a) => a.capacity },
    { header: '报名人数', width: 10, value: (a) => a.signedUp },
    { header: '状态', width: 8, value: (a) => (a.status === 'cancelled' ? '已取消' : '正常') },
  ],
};

export const ROSTER_SHEET: SheetSpec<RosterRow> = {
  name: '签到名单',
  columns: [
    { header: '活动编号', width: 34, value: (r) => r.activityId },
    { header: '活动名称', width: 30, value: (r) => r.activityTitle },
    { header: '姓名', width: 12, value: (r) => r.name },
    { header: '签到时间', width: 18, format: DATE_TIME, value: (r) => beijingCell(r.inAt) },
    { header: '签退时间', width: 18, format: DATE_TIME, value: (r) => beijingCell(r.outAt) },
    { header: '服务分钟', width: 10, value: (r) => r.minutes },
    { header: '标记', width: 30, value: (r) => (r.flags ?? []).map((f) => CHECKIN_FLAG_LABELS[f] ?? f).join('、') },
    { header: '审核', width: 12, value: (r) => REVIEW_LABELS[r.review] ?? r.review },
  ],
};

const ACTIVITY_FIELDS = [
  'title',
  'category',
  'pointName',
  'stationName',
  'startAt',
  'endAt',
  'capacity',
  'signedUp',
  'status',
];
const ROSTER_FIELDS = ['activityId', 'name', 'inAt', 'outAt', 'minutes', 'flags', 'review'];

export const exportActivities: Exporter = async (book, { orgId, period }) => {
  // Both sheets stream at once: the zip holds the rosters' part until the activities' part is done.
  const activities = book.sheet(ACTIVITY_SHEET);
  const rosters = book.sheet(ROSTER_SHEET);
  for await (const page of activitiesUnder(orgId, period.start, period.end, ACTIVITY_FIELDS)) {
    const titles = new Map<string, string>();
    for (const a of page) {
      activities.add(a);
      titles.set(a._id, a.title);
    }
    for await (const checkins of checkinsOfActivities([...titles.keys()], ROSTER_FIELDS)) {
      for (const c of checkins) rosters.add({ ...c, activityTitle: titles.get(c.activityId) ?? '' });
    }
  }
};
