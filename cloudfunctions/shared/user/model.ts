/** The user record and how it is shown to its owner. Plain data, no SDK. */
import type { Profile } from '../../../typings/api';
import type { RoleGrant } from '../../../typings/domain';

export interface UserDoc {
  /** The openid: one record per WeChat user, so the primary key settles concurrent first logins. */
  _id: string;
  openid: string;
  roles: RoleGrant[];
  nickname: string | null;
  stationId: string | null;
  householdId: string | null;
  createdAt: Date;
  lastLoginAt: Date;
}

export function newUser(openid: string, at: Date): UserDoc {
  return {
    _id: openid,
    openid,
    roles: [],
    nickname: null,
    stationId: null,
    householdId: null,
    createdAt: at,
    lastLoginAt: at,
  };
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
