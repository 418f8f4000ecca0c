/**
 * What an admin may see and do, from the roles they hold: the node whose people they list (the widest
 * of their station head / institute / center roles), and the roles they may appoint, where (GRANTABLE,
 * ROLE_LEVEL). The functions check all of it again; this only decides what the pages offer.
 */
import type { Person } from '../../contract/api';
import { DISPATCHER_ROLES, GRANTABLE, ROLE_LABELS, ROLE_LEVEL, type Role, type RoleGrant } from '../../contract/domain';

/** Widest first: the center before an institute before a station. */
const WIDEST_FIRST: readonly Role[] = [...DISPATCHER_ROLES].reverse();

/** The widest node the caller lists people of (center before institute before station). */
export function widestScope(roles: readonly RoleGrant[]): RoleGrant | undefined {
  for (const role of WIDEST_FIRST) {
    const held = roles.find((r) => r.role === role && r.orgId);
    if (held) return held;
  }
  return undefined;
}

export interface Appointable {
  role: Role;
  label: string;
  /** The nodes the caller holds a role at that lets them appoint `role`. */
  from: { orgId: string; sameLevel: boolean }[];
}

/** What the caller may appoint, and from which of their nodes; [] for anyone who may not appoint. */
export function appointable(roles: readonly RoleGrant[]): Appointable[] {
  const out = new Map<Role, Appointable>();
  for (const held of roles) {
    if (!held.orgId) continue;
    for (const role of GRANTABLE[held.role]) {
      const entry = out.get(role) ?? { role, label: ROLE_LABELS[role], from: [] };
      entry.from.push({ orgId: held.orgId, sameLevel: ROLE_LEVEL[role] === ROLE_LEVEL[held.role] });
      out.set(role, entry);
    }
  }
  return [...out.values()];
}

/** The person the people list handed to the appointment page (both pages are in this subpackage). */
let picked: Person | undefined;

export function pickPerson(person: Person): void {
  picked = person;
}

export function pickedPerson(openid: string): Person | undefined {
  return picked?.openid === openid ? picked : undefined;
}
