/**
 * The people's store, continued (store.ts): the people and volunteer lists an admin pages and searches
 * (a name by prefix, a mobile number by its keyed hash, never read back), and the volunteers' readers
 * for the Excel exports.
 */
import type { VolunteerStatus } from '../../../typings/domain';
import { database, listOf } from '../runtime/sdk';
import { keysetPages } from '../runtime/pages';
import type { UserDoc, VolunteerDoc } from './domain/model';
import { _, users, volunteersWithPhone } from './store';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A mobile number typed into the people search: matched by its keyed hash, never read. */
const MOBILE = /^1\d{10}$/;

async function peopleWhere(orgId: string, opts: { q?: string; role?: string }): Promise<Record<string, unknown>> {
  const where: Record<string, unknown> = { areas: orgId };
  if (opts.q && MOBILE.test(opts.q)) where._id = _().in((await volunteersWithPhone(opts.q)).map((v) => v.openid));
  else if (opts.q) where.name = database().RegExp({ regexp: escapeRegExp(opts.q), options: 'i' });
  if (opts.role) where.roles = _().elemMatch({ role: opts.role, path: orgId });
  return where;
}

/** People under a node, newest first: by name, or by a volunteer's phone number (its keyed hash). */
export async function peopleUnder(
  orgId: string,
  opts: { q?: string; role?: string; skip: number; limit: number },
): Promise<UserDoc[]> {
  return listOf<UserDoc>(
    users()
      .where(await peopleWhere(orgId, opts))
      .orderBy('createdAt', 'desc')
      .skip(opts.skip)
      .limit(opts.limit),
  );
}

export async function countPeopleUnder(orgId: string, opts: { q?: string; role?: string }): Promise<number> {
  return (
    (await users()
      .where(await peopleWhere(orgId, opts))
      .count()) as { total: number }
  ).total;
}

/** Volunteers serving under a node in one status (APPROVED ones: 'active'), newest first, searchable by name. */
function volunteersWhere(orgId: string, opts: { q?: string; status: VolunteerStatus }): Record<string, unknown> {
  const where: Record<string, unknown> = { areas: orgId, status: opts.status };
  if (opts.q) where.name = database().RegExp({ regexp: escapeRegExp(opts.q), options: 'i' });
  return where;
}

export async function volunteersUnder(
  orgId: string,
  opts: { q?: string; status: VolunteerStatus; skip: number; limit: number },
): Promise<VolunteerDoc[]> {
  return listOf<VolunteerDoc>(
    database()
      .collection('volunteers')
      .where(volunteersWhere(orgId, opts))
      .orderBy('registeredAt', 'desc')
      .skip(opts.skip)
      .limit(opts.limit),
  );
}

export async function countVolunteersUnder(
  orgId: string,
  opts: { q?: string; status: VolunteerStatus },
): Promise<number> {
  return ((await database().collection('volunteers').where(volunteersWhere(orgId, opts)).count()) as { total: number })
    .total;
}

// ── exports ───────────────────────────────────────────────────────────────────────────────────────

/** Volunteers serving under a node, by id, a keyset page at a time (the areas index). */
export const volunteerPagesUnder = (orgId: string, fields?: string[]) =>
  keysetPages<VolunteerDoc>(database().collection('volunteers'), { where: { areas: orgId }, key: '_id', fields });

/** The names and phones of some volunteers (≤ 1,000 openids a call), by openid. */
export async function volunteerContacts(
  openids: readonly string[],
): Promise<Map<string, { name: string; phone: string }>> {
  const found = new Map<string, { name: string; phone: string }>();
  if (openids.length === 0) return found;
  const list = await listOf<Pick<VolunteerDoc, '_id' | 'name' | 'phone'>>(
    database()
      .collection('volunteers')
      .where({ _id: _().in([...openids]) })
      .field({ _id: true, name: true, phone: true })
      .limit(1000),
  );
  for (const v of list) found.set(v._id, { name: v.name, phone: v.phone });
  return found;
}
