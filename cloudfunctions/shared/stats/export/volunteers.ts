/**
 * 志愿者与服务时长: the volunteers serving under the node, with the hours recorded and the honour hours
 * counted under the node in the period, their total up to the period's end and the star level it earns.
 * The hours are read first, page by page, into one small total per person; then the volunteers stream.
 */
import { CATEGORY_LABELS, type VolunteerStatus } from '../../../../typings/domain';
import { starsOf } from '../../activity/domain/hours';
import { hoursUnder } from '../../activity/store-hours';
import type { VolunteerDoc } from '../../user/domain/model';
import { volunteerPagesUnder } from '../../user/store-lists';
import type { Exporter } from './job';
import { maskPhone } from './period';
import { opened } from '../../runtime/phones';
import { beijingCell, DATE, type SheetSpec } from './workbook';

export const VOLUNTEER_STATUS_LABELS: Record<VolunteerStatus, string> = {
  pending: '待审核',
  active: '在岗',
  paused: '暂停',
  rejected: '未通过',
};

export interface HoursTally {
  recordedMinutes: number;
  honourMinutes: number;
  /** Everything up to the period's end, for the star level. */
  totalMinutes: number;
}

export type VolunteerRow = Pick<
  VolunteerDoc,
  '_id' | 'name' | 'phone' | 'skills' | 'stationIds' | 'status' | 'registeredAt'
> &
  HoursTally;

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

export const VOLUNTEER_SHEET: SheetSpec<VolunteerRow> = {
  name: '志愿者',
  columns: [
    { header: '姓名', width: 12, value: (v) => v.name },
    { header: '手机', width: 14, value: (v) => maskPhone(opened(v.phone)) },
    { header: '状态', width: 8, value: (v) => VOLUNTEER_STATUS_LABELS[v.status] ?? v.status },
    { header: '服务站点数', width: 10, value: (v) => v.stationIds?.length ?? 0 },
    { header: '服务特长', width: 30, value: (v) => (v.skills ?? []).map((s) => CATEGORY_LABELS[s] ?? s).join('、') },
    { header: '登记日期', width: 12, format: DATE, value: (v) => beijingCell(v.registeredAt) },
    { header: '本期记录时长（小时）', width: 20, value: (v) => hours(v.recordedMinutes) },
    { header: '本期荣誉时长（小时）', width: 20, value: (v) => hours(v.honourMinutes) },
    { header: '累计时长（小时）', width: 16, value: (v) => hours(v.totalMinutes) },
    { header: '星级', width: 12, value: (v) => starsOf(v.totalMinutes).label ?? '未达星级' },
  ],
};

const FIELDS = ['name', 'phone', 'skills', 'stationIds', 'status', 'registeredAt'];

export const exportVolunteers: Exporter = async (book, { orgId, period }) => {
  const tally = new Map<string, HoursTally>();
  for await (const page of hoursUnder(orgId, period.end, undefined, ['openid', 'kind', 'minutes'])) {
    for (const h of page) {
      const t = tally.get(h.openid) ?? { recordedMinutes: 0, honourMinutes: 0, totalMinutes: 0 };
      t.totalMinutes += h.minutes;
      if (new Date(h.at).getTime() >= period.start.getTime()) {
        if (h.kind === 'honour') t.honourMinutes += h.minutes;
        else t.recordedMinutes += h.minutes;
      }
      tally.set(h.openid, t);
    }
  }
  const sheet = book.sheet(VOLUNTEER_SHEET);
  for await (const page of volunteerPagesUnder(orgId, FIELDS)) {
    for (const v of page) {
      sheet.add({ ...v, ...(tally.get(v._id) ?? { recordedMinutes: 0, honourMinutes: 0, totalMinutes: 0 }) });
    }
  }
};
