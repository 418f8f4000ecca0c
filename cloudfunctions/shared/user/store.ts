/** The people collections: users, households, volunteers, bindings. */
import { database, isDuplicateKey, listOf, updatedCount } from '../runtime/sdk';
import { AppError } from '../runtime/errors';
import { roleFields, newUser, type HouseholdDoc, type UserDoc, type VolunteerDoc } from './domain/model';

const users = () => database().collection('users');
const _ = () => database().command;

/** Creates the record on first sight of an openid; safe to call twice, and twice at once. */
export async function ensureUser(openid: string, at: Date): Promise<{ user: UserDoc; created: boolean }> {
  let created = false;
  try {
    await users().add({ data: newUser(openid, at) });
    created = true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await users()
      .doc(openid)
      .update({ data: { lastLoginAt: at } });
  }
  const user = await findUser(openid);
  if (!user) throw new AppError('INTERNAL');
  return { user, created };
}

export async function findUser(openid: string): Promise<UserDoc | undefined> {
  const [user] = await listOf<UserDoc>(users().where({ _id: openid }).limit(1));
  return user;
}

export async function findUsers(openids: string[]): Promise<Map<string, UserDoc>> {
  if (openids.length === 0) return new Map();
  const list = await listOf<UserDoc>(
    users()
      .where({ _id: _().in([...new Set(openids)]) })
      .limit(100),
  );
  return new Map(list.map((u) => [u._id, u]));
}

/**
 * Changes a user by a conditional update on its revision: `change` sees the current record and answers
 * the fields to set (or null for nothing to do); a concurrent change makes the update miss, and the
 * change is worked out again from the new record.
 */
export async function mutateUser(openid: string, change: (user: UserDoc) => Partial<UserDoc> | null): Promise<UserDoc> {
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const user = await findUser(openid);
    if (!user) throw new AppError('NOT_FOUND', '没有找到这个人，请让对方先打开一次小程序。');
    const fields = change(user);
    if (!fields) return user;
    const next = { ...fields, ...(fields.roles ? roleFields(fields.roles) : {}), rev: (user.rev ?? 0) + 1 };
    const n = await updatedCount(
      users()
        .where({ _id: openid, rev: user.rev ?? 0 })
        .update({ data: next }),
    );
    if (n === 1) return { ...user, ...next };
  }
  throw new AppError('CONFLICT');
}

export async function findVolunteer(openid: string): Promise<VolunteerDoc | undefined> {
  const [v] = await listOf<VolunteerDoc>(database().collection('volunteers').where({ _id: openid }).limit(1));
  return v;
}

export async function findVolunteers(openids: string[]): Promise<Map<string, VolunteerDoc>> {
  if (openids.length === 0) return new Map();
  const list = await listOf<VolunteerDoc>(
    database()
      .collection('volunteers')
      .where({ _id: _().in([...new Set(openids)]) })
      .limit(100),
  );
  return new Map(list.map((v) => [v._id, v]));
}

export type VolunteerProfileFields = Pick<
  VolunteerDoc,
  'name' | 'phone' | 'skills' | 'stationIds' | 'areas' | 'skillStations' | 'availability' | 'updatedAt'
>;

/**
 * Registers a volunteer, or updates their profile: a first registration creates the record with its
 * counters at zero; afterwards (and when two first registrations race) only the profile fields are
 * updated, so the load and ratings that matching keeps by atomic increments are never overwritten.
 */
export async function saveVolunteerProfile(openid: string, profile: VolunteerProfileFields): Promise<void> {
  const volunteers = database().collection('volunteers');
  // availability is replaced whole (_.set), not merged field by field into the old one.
  const update = () =>
    volunteers.doc(openid).update({ data: { ...profile, availability: database().command.set(profile.availability) } });
  if (await findVolunteer(openid)) {
    await update();
    return;
  }
  try {
    await volunteers.add({
      data: {
        _id: openid,
        openid,
        ...profile,
        status: 'active',
        load: 0,
        ratingSum: 0,
        ratingCount: 0,
        registeredAt: profile.updatedAt,
      },
    });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await update();
  }
}

export async function findHousehold(id: string): Promise<HouseholdDoc | undefined> {
  const [h] = await listOf<HouseholdDoc>(database().collection('households').where({ _id: id }).limit(1));
  return h;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function peopleWhere(orgId: string, opts: { q?: string; role?: string }): Record<string, unknown> {
  const where: Record<string, unknown> = { areas: orgId };
  if (opts.q) where.name = database().RegExp({ regexp: escapeRegExp(opts.q), options: 'i' });
  if (opts.role) where.roles = _().elemMatch({ role: opts.role, path: orgId });
  return where;
}

export async function peopleUnder(
  orgId: string,
  opts: { q?: string; role?: string; skip: number; limit: number },
): Promise<UserDoc[]> {
  return listOf<UserDoc>(
    users().where(peopleWhere(orgId, opts)).orderBy('createdAt', 'desc').skip(opts.skip).limit(opts.limit),
  );
}

export async function countPeopleUnder(orgId: string, opts: { q?: string; role?: string }): Promise<number> {
  return ((await users().where(peopleWhere(orgId, opts)).count()) as { total: number }).total;
}
