/**
 * The one place the mini-program formats text: times and distances as both sides write them
 * (contract/format.ts, from typings/), and what only the pages show: short names, roles, availability.
 */
import type { Availability, Role, RoleGrant } from '../contract/domain';
import { ROLE_LABELS, SLOT_LABELS } from '../contract/domain';

export { distanceFrom, formatDistance, formatTime } from '../contract/format';
export { shanghaiDay } from '../contract/time';

/** 凤山村新时代文明实践站 → 凤山村; 海安街道新时代文明实践所 → 海安街道. */
export function shortOrgName(name: string | null | undefined): string {
  if (!name) return '';
  const short = name.replace(/新时代文明实践(中心|所|站|点)$/, '');
  return short || name;
}

/** Each role once, in the order of ROLE_LABELS, with its Chinese label. */
export function roleTags(roles: readonly RoleGrant[]): { role: Role; label: string }[] {
  const held = new Set(roles.map((r) => r.role));
  return (Object.keys(ROLE_LABELS) as Role[])
    .filter((r) => held.has(r))
    .map((role) => ({ role, label: ROLE_LABELS[role] }));
}

export const WEEKDAY_LABELS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** "周一、周三 上午、下午" — or '' when nothing is chosen. */
export function formatAvailability(a: Availability | null | undefined): string {
  if (!a) return '';
  const days = [...a.weekdays]
    .sort((x, y) => x - y)
    .map((d) => WEEKDAY_LABELS[d - 1])
    .filter(Boolean);
  const slots = a.slots.map((s) => SLOT_LABELS[s]);
  return [days.join('、'), slots.join('、')].filter(Boolean).join(' ');
}
