/**
 * What the activity pages show, in plain Chinese, times in Beijing whatever the phone's zone: an
 * activity as a card, its time span, hours in the county's unit, a roll entry.
 */
import type { ActivitySummary, HoursRecord, RosterEntry } from '../../../contract/activity';
import { CHECKIN_FLAG_LABELS } from '../../../contract/activity';
import { CATEGORY_LABELS } from '../../../contract/domain';
import { formatTime } from '../../../utils/format';

/** `6月1日 10:00` (with the year when it is not this year), as every page writes a time. */
export const dayTime = (iso: string | null | undefined): string => formatTime(iso);

/** `6月1日 10:00–12:00` (the end's day too when it is another day). */
export function span(startAt: string, endAt: string): string {
  const start = dayTime(startAt);
  const end = dayTime(endAt);
  return start.split(' ')[0] === end.split(' ')[0] ? `${start}–${end.split(' ')[1]}` : `${start} 至 ${end}`;
}

/** 90 → "1.5小时"; 20 → "20分钟". */
export function hoursText(minutes: number): string {
  if (Math.abs(minutes) < 60) return `${minutes}分钟`;
  return `${Math.round((minutes / 60) * 10) / 10}小时`;
}

export interface ActivityCard {
  id: string;
  title: string;
  category: string;
  when: string;
  place: string;
  seats: string;
  cancelled: boolean;
  distance: string;
}

export function activityCard(a: ActivitySummary): ActivityCard {
  return {
    id: a.id,
    title: a.title,
    category: CATEGORY_LABELS[a.category],
    when: span(a.startAt, a.endAt),
    place: a.pointName,
    seats: a.signupRequired ? `已报名 ${a.signedUp}/${a.capacity} 人` : '不用报名，到现场扫码签到',
    cancelled: a.status === 'cancelled',
    distance:
      a.distanceM === undefined
        ? ''
        : a.distanceM < 1000
          ? `${a.distanceM}米`
          : `${(a.distanceM / 1000).toFixed(1)}公里`,
  };
}

export interface RollView {
  id: string;
  name: string;
  state: string;
  times: string;
  flags: string;
  pending: boolean;
  review: string;
}

export function rollView(e: RosterEntry): RollView {
  const out = e.outAt ? ` → ${dayTime(e.outAt).split(' ')[1]}` : '';
  return {
    id: e.checkinId,
    name: e.name,
    state: e.state === 'in' ? '在场' : `已签退${e.minutes === null ? '' : `，${hoursText(e.minutes)}`}`,
    times: `${dayTime(e.inAt).split(' ')[1] ?? ''}${out}`,
    flags: e.flags
      .map((f) =>
        f === 'far' && e.distanceM ? `${CHECKIN_FLAG_LABELS[f]}（约${e.distanceM}米）` : CHECKIN_FLAG_LABELS[f],
      )
      .join('；'),
    pending: e.review === 'pending',
    review: e.review === 'confirmed' ? '站长已确认' : e.review === 'rejected' ? '站长不予认可' : '',
  };
}

export function recordView(r: HoursRecord) {
  return {
    id: r.id,
    title: r.source === 'correction' ? `更正：${r.title}` : r.title,
    kind: r.kind === 'honour' ? '荣誉时长' : '记录时长',
    minutes: `${r.minutes > 0 ? '' : ''}${hoursText(r.minutes)}`,
    when: dayTime(r.at),
    place: r.placeName,
    reason: r.reason ?? '',
  };
}

/** A failed call's plain message, for a toast. */
export function toast(title: string): void {
  wx.showToast({ title, icon: 'none', duration: 2500 });
}
