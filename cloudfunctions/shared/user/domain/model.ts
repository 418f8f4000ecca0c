/** The people: users, their households and volunteer registrations, as stored. Plain data, no SDK. */
import type { Household, Person, Profile, VolunteerProfile } from '../../../../typings/api';
import {
  DISPATCHER_ROLES,
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
  /** The open record in bindings (null until first bound). */
  bindingId: string | null;
  createdAt: Date;
  lastLoginAt: Date;
  /** Bumped by every change of roles or binding: the condition of optimistic updates. */
  rev: number;
}

export interface HouseholdDoc {
  _id: string;
  stationId: string;
  headOpenid: string;
  headName: string;
  members: { openid: string; name: string }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface VolunteerDoc {
  _id: string;
  openid: string;
  name: string;
  phone: string;
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

export function toHousehold(h: HouseholdDoc): Household {
  return {
    id: h._id,
    stationId: h.stationId,
    headName: h.headName,
    headOpenid: h.headOpenid,
    members: h.members.map((m) => ({ ...m, isHead: m.openid === h.headOpenid })),
  };
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
