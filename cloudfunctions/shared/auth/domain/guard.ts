/**
 * "May this caller do this here?" — one answer for every action of every function. A role is held at
 * a node and covers the node's whole subtree; a target is known by its path (the ids from the center
 * down to itself). Pure functions, no SDK; the runtime (runtime/action.ts) resolves each action's declared
 * access with them.
 */
import type { Role } from '../../../../typings/domain';

/** A role as stored on the user: where it is held, and that node's path. */
export interface HeldRole {
  role: Role;
  orgId: string;
  /** The ids from the center down to orgId (inclusive). */
  path: string[];
}

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

/** The widest scope the caller holds among `roles` (the shortest path), for "my area" defaults. */
export function widestScope(held: readonly HeldRole[], roles: readonly Role[]): HeldRole | undefined {
  return held.filter((h) => roles.includes(h.role)).sort((a, b) => a.path.length - b.path.length)[0];
}

/** 13812341234 → 138****1234 (one helper for every screen and export: typings/format.ts). */
export { maskPhone } from '../../../../typings/format';
