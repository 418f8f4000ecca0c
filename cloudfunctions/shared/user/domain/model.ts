/** The people: users, their households and volunteer registrations, as stored. Plain data, no SDK. */
import type { Household, Person, Profile, VolunteerProfile } from '../../../../typings/api';
import {
  DISPATCHER_ROLES,
  HOUSEHOLD_LIMITS,
  type Availability,
  type Category,
  type Role,
  type VolunteerStatus,
} from '../../../../typings/domain';
import type { HeldRole } from '../../auth/domain/guard';
import { maskPhone } from '../../auth/domain/guard';

export interface UserDoc {
  /** The openid: one record per WeChat user, so the primary key settles concurrent first logins. */
  _id: string;
  openid: string;
  name: string | null;
  roles: HeldRole[];
  /** Every node any of the roles covers from (the union of their paths): "people under X" is one query. */
  areas: string[];
  /** `${role}@${orgId}` of every role: "the station heads of S" is one exact indexed query. */
  roleKeys: string[];
  nickname: string | null;
  stationId: string | null;
  householdId: string | null;
  /** The household they asked to join, until its head answers. */
  joinRequest?: string | null;
  /** The open record in bindings (null until first bound). */
  bindingId: string | null;
  createdAt: Date;
  lastLoginAt: Date;
  /** Bumped by every change of roles or binding: the condition of optimistic updates. */
  rev: number;
  /** Set when the person closes their account: the pseudonym their records take (kept across retries). */
  closing?: { pseudonym: string; at: Date };
}

export interface HouseholdDoc {
  _id: string;
  stationId: string;
  headOpenid: string;
  headName: string;
  members: { openid: string; name: string }[];
  /** Requests to join, waiting for the head (at most HOUSEHOLD_LIMITS.requests). */
  requests?: { openid: string; name: string; at: Date }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface VolunteerDoc {
  _id: string;
  openid: string;
  name: string;
  /** In the database: sealed (domain/phone.ts); as the store answers it: the number. */
  phone: string;
  /** The phone's keyed hash, for matching without reading it. */
  phoneHash?: string;
  skills: Category[];
  stationIds: string[];
  /** The union of the served stations' paths. */
  areas: string[];
  /** `${skill}@${stationId}` for every skill and station served: matching finds the right people in one indexed query. */
  skillStations: string[];
  availability: Availability;
  /** Orders dispatched to or accepted by them and not yet fulfilled. */
  load: number;
  ratingSum: number;
  ratingCount: number;
  status: VolunteerStatus;
  /** Declines after seeing the requester's contact; flagged once it reaches VOLUNTEER_LIMITS.flagAfterRevealDeclines. */
  declinesAfterReveal?: number;
  flagged?: boolean;
  reviewedBy?: string;
  reviewedAt?: Date;
  registeredAt: Date;
  updatedAt: Date;
}

/** A change to a volunteer's work counters (made with an order's transition, in its transaction). */
export interface CounterChange {
  openid: string;
  inc: { load?: number; ratingSum?: number; ratingCount?: number };
  /** The change is refused (FAILED_PRECONDITION) when the volunteer's load is already this high. */
  loadBelow?: number;
}

/** A moved villager's earlier bindings are kept: one record per period at a station. */
export interface BindingDoc {
  _id: string;
  openid: string;
  stationId: string;
  householdId: string;
  from: Date;
  to: Date | null;
}

export function newUser(openid: string, at: Date): UserDoc {
  return {
    _id: openid,
    openid,
    name: null,
    roles: [],
    areas: [],
    roleKeys: [],
    nickname: null,
    stationId: null,
    householdId: null,
    bindingId: null,
    createdAt: at,
    lastLoginAt: at,
    rev: 0,
  };
}

export function skillStationsOf(skills: readonly string[], stationIds: readonly string[]): string[] {
  return skills.flatMap((k) => stationIds.map((s) => `${k}@${s}`));
}

export function areasOf(roles: readonly HeldRole[]): string[] {
  return [...new Set(roles.flatMap((r) => r.path))];
}

export const roleKey = (role: string, orgId: string): string => `${role}@${orgId}`;

/** The roles with what is derived from them, written together whenever roles change. */
export function roleFields(roles: HeldRole[]): Pick<UserDoc, 'roles' | 'areas' | 'roleKeys'> {
  return { roles, areas: areasOf(roles), roleKeys: roles.map((r) => roleKey(r.role, r.orgId)) };
}

/** Replaces the caller's roles of one kind with a new set, keeping the others. */
export function withRoles(roles: readonly HeldRole[], role: Role, replacement: HeldRole[]): HeldRole[] {
  return [...roles.filter((r) => r.role !== role), ...replacement];
}

export function toProfile(user: UserDoc, isNew: boolean): Profile {
  return {
    openid: user.openid,
    roles: user.roles.map(({ role, orgId }) => ({ role, orgId })),
    isNew,
    nickname: user.nickname,
    createdAt: new Date(user.createdAt).toISOString(),
    stationId: user.stationId,
    householdId: user.householdId,
  };
}

/** A household as its members see it; the waiting requests only for its head. */
export function toHousehold(h: HouseholdDoc, viewer?: string): Household {
  return {
    id: h._id,
    stationId: h.stationId,
    headName: h.headName,
    headOpenid: h.headOpenid,
    members: h.members.map((m) => ({ ...m, isHead: m.openid === h.headOpenid })),
    requests:
      viewer !== undefined && viewer === h.headOpenid
        ? (h.requests ?? []).map((r) => ({ openid: r.openid, name: r.name, at: new Date(r.at).toISOString() }))
        : [],
  };
}

/**
 * Why a household cannot take a request to join (or a new member), or null when it can: an empty
 * household (nobody in it, or no head) has nobody to agree; a full one has no room; a head with too
 * many requests waiting answers those first. A request already waiting may be made again (a retry).
 */
export function joinRefusal(
  h: Pick<HouseholdDoc, 'members' | 'headOpenid' | 'requests'>,
  openid: string,
  step: 'ask' | 'approve',
): string | null {
  if (h.members.length === 0 || !h.headOpenid || !h.members.some((m) => m.openid === h.headOpenid))
    return '这一户已经没有户主了，不能加入。请重新建一户，或向村里核对户号。';
  if (h.members.length >= HOUSEHOLD_LIMITS.members)
    return `这一户已经有${HOUSEHOLD_LIMITS.members}个人了，不能再加入。`;
  const waiting = h.requests ?? [];
  if (step === 'ask' && !waiting.some((r) => r.openid === openid) && waiting.length >= HOUSEHOLD_LIMITS.requests)
    return '这一户等户主同意的申请太多了，请先请户主处理，再来申请。';
  return null;
}

/** The household with `openid`'s request (made again: it moves to the end with the new name). */
export function asking(
  h: HouseholdDoc,
  request: { openid: string; name: string; at: Date },
): Pick<HouseholdDoc, 'requests'> {
  return { requests: [...(h.requests ?? []).filter((r) => r.openid !== request.openid), request] };
}

/** The household without `openid`'s request. */
export function answered(h: HouseholdDoc, openid: string): Pick<HouseholdDoc, 'requests'> {
  return { requests: (h.requests ?? []).filter((r) => r.openid !== openid) };
}

/** Full phone to the volunteer and to whoever may dispatch them; masked to anyone else. */
export function mayDispatch(viewer: readonly HeldRole[], volunteer: Pick<VolunteerDoc, 'areas'>): boolean {
  return viewer.some((r) => DISPATCHER_ROLES.includes(r.role) && volunteer.areas.includes(r.orgId));
}

export function toVolunteer(v: VolunteerDoc, showPhone: boolean): VolunteerProfile {
  return {
    openid: v.openid,
    name: v.name,
    phone: showPhone ? v.phone : (maskPhone(v.phone) ?? ''),
    skills: v.skills,
    stationIds: v.stationIds,
    availability: v.availability,
    registeredAt: new Date(v.registeredAt).toISOString(),
    rating: {
      average: v.ratingCount > 0 ? Math.round((v.ratingSum / v.ratingCount) * 10) / 10 : 0,
      count: v.ratingCount,
    },
    status: v.status,
  };
}

export function toPerson(
  u: UserDoc,
  stationName: string | null,
  volunteer: VolunteerDoc | undefined,
  viewer: readonly HeldRole[],
): Person {
  return {
    openid: u.openid,
    name: u.name,
    roles: u.roles.map(({ role, orgId }) => ({ role, orgId })),
    stationId: u.stationId,
    stationName,
    phone: volunteer ? (mayDispatch(viewer, volunteer) ? volunteer.phone : maskPhone(volunteer.phone)) : null,
    skills: volunteer?.skills ?? [],
  };
}

// ── binding to a village and a household: what changes, decided here, applied by the user store ──

type Member = HouseholdDoc['members'][number];

/** The household once `openid` has left it: headship passes to the next member when the head leaves. */
export function leaving(h: HouseholdDoc, openid: string): Pick<HouseholdDoc, 'members' | 'headOpenid' | 'headName'> {
  const members = h.members.filter((m) => m.openid !== openid);
  const head = h.headOpenid === openid ? members[0] : h.members.find((m) => m.openid === h.headOpenid);
  return { members, headOpenid: head?.openid ?? '', headName: head?.name ?? '' };
}

/**
 * The household once `openid` has closed their account (注销): they leave it as when moving, headship
 * passing to the next member. When they were its head, the requests waiting on them are withdrawn too
 * (`withdrawn`: the askers, whose records stop naming it): consent was asked of that person, and nobody
 * is left waiting on a head who is gone — an empty household has nobody to agree, and a new head answers
 * the requests made to them (the askers may ask again at once).
 */
export function leavingForGood(
  h: HouseholdDoc,
  openid: string,
): { fields: Pick<HouseholdDoc, 'members' | 'headOpenid' | 'headName' | 'requests'>; withdrawn: string[] } {
  const waiting = h.headOpenid === openid ? (h.requests ?? []) : [];
  return {
    fields: { ...leaving(h, openid), requests: (h.requests ?? []).filter((r) => !waiting.includes(r)) },
    withdrawn: waiting.map((r) => r.openid),
  };
}

/** The household with `member` in it, once. */
export function joining(h: HouseholdDoc, member: Member): Pick<HouseholdDoc, 'members'> {
  return { members: [...h.members.filter((m) => m.openid !== member.openid), member] };
}

/** The household with a member's new name (and the head's name, when they are the head). */
export function renamed(h: HouseholdDoc, member: Member): Partial<HouseholdDoc> {
  return {
    members: h.members.map((m) => (m.openid === member.openid ? { ...m, name: member.name } : m)),
    ...(h.headOpenid === member.openid ? { headName: member.name } : {}),
  };
}

/** A new household with `member` at its head. */
export function newHousehold(id: string, stationId: string, member: Member, at: Date): HouseholdDoc {
  return {
    _id: id,
    stationId,
    headOpenid: member.openid,
    headName: member.name,
    members: [member],
    createdAt: at,
    updatedAt: at,
  };
}

/** What a binding asks of the user as they are: nothing, a new name only, or a move (village or household). */
export function bindingStep(
  u: Pick<UserDoc, 'stationId' | 'householdId' | 'name'>,
  stationId: string,
  ask: { householdId?: string; name: string },
): 'none' | 'rename' | 'move' {
  const sameStation = u.stationId === stationId;
  const sameHousehold = !ask.householdId || ask.householdId === u.householdId;
  if (sameStation && sameHousehold) return u.name === ask.name ? 'none' : 'rename';
  return 'move';
}

/** The user's fields once bound: the villager role at the station, and a new revision. */
export function boundFields(
  u: Pick<UserDoc, 'roles' | 'rev'>,
  station: { id: string; path: string[] },
  name: string,
  householdId: string | null,
  bindingId: string | null,
): Partial<UserDoc> {
  const roles = withRoles(u.roles ?? [], 'villager', [{ role: 'villager', orgId: station.id, path: station.path }]);
  return { name, stationId: station.id, householdId, bindingId, ...roleFields(roles), rev: (u.rev ?? 0) + 1 };
}

/**
 * What a registration does to a volunteer's standing: a first one, one adding a station, or one after a
 * rejection waits for a station head's approval (the new stations' heads have not vetted this person);
 * any change of the station set spends one of the day's station changes.
 */
export function registrationEffect(
  previous: Pick<VolunteerDoc, 'status' | 'stationIds'> | undefined,
  stationIds: readonly string[],
): { status: VolunteerStatus | null; stationChange: boolean } {
  if (!previous) return { status: 'pending', stationChange: false };
  const before = new Set(previous.stationIds);
  const adds = stationIds.some((s) => !before.has(s));
  const stationChange = adds || stationIds.length !== before.size;
  return { status: adds || previous.status === 'rejected' ? 'pending' : null, stationChange };
}
