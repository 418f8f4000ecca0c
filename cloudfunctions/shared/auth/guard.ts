/**
 * "May this caller do this here?" — one answer for every action of every function. A role is held at
 * a node and covers the node's whole subtree; a target is known by its path (the ids from the center
 * down to itself). Pure functions, no SDK.
 */
import { GRANTABLE, ROLE_LEVEL, type Level, type Role } from '../../../typings/domain';

/** A role as stored on the user: where it is held, and that node's path. */
export interface HeldRole {
  role: Role;
  orgId: string;
  /** The ids from the center down to orgId (inclusive). */
  path: string[];
}

export type Access =
  /** Any signed-in WeChat user (their own data, or public information about the network). */
  | 'anyone'
  /** Holders of one of these roles at a node whose subtree contains the action's target. */
  | { roles: readonly Role[] };

/** True when a role held at `held.orgId` covers the node with `targetPath`. */
export function covers(held: Pick<HeldRole, 'orgId'>, targetPath: readonly string[]): boolean {
  return targetPath.includes(held.orgId);
}

/** The caller's roles among `roles` that cover the target. */
export function coveringRoles(
  held: readonly HeldRole[],
  roles: readonly Role[],
  targetPath: readonly string[],
): HeldRole[] {
  return held.filter((h) => roles.includes(h.role) && covers(h, targetPath));
}

export function allowed(held: readonly HeldRole[], access: Access, targetPath: readonly string[] | null): boolean {
  if (access === 'anyone') return true;
  if (!targetPath) return false;
  return coveringRoles(held, access.roles, targetPath).length > 0;
}

/** The widest scope the caller holds among `roles` (the shortest path), for "my area" defaults. */
export function widestScope(held: readonly HeldRole[], roles: readonly Role[]): HeldRole | undefined {
  return held.filter((h) => roles.includes(h.role)).sort((a, b) => a.path.length - b.path.length)[0];
}

/**
 * Whether the caller may grant (or revoke) `role` at a node of `level` with `targetPath`: they hold a
 * role that may appoint it (GRANTABLE) and whose scope covers the node, and the node is of the level
 * the role is held at.
 */
export function mayGrant(held: readonly HeldRole[], role: Role, level: Level, targetPath: readonly string[]): boolean {
  if (ROLE_LEVEL[role] !== level) return false;
  return held.some((h) => GRANTABLE[h.role].includes(role) && covers(h, targetPath));
}

/** 13812341234 → 138****1234. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
