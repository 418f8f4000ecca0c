/** The people collections: users, households, volunteers, bindings. */
import { database, isDuplicateKey, listOf, updatedCount } from '../runtime/sdk';
import { AppError } from '../runtime/errors';
import { areasOf, newUser, type HouseholdDoc, type UserDoc, type VolunteerDoc } from './model';

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
    const next = { ...fields, ...(fields.roles ? { areas: areasOf(fields.roles) } : {}), rev: (user.rev ?? 0) + 1 };
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

export async function saveVolunteer(v: VolunteerDoc): Promise<void> {
  const { _id, ...data } = v;
  await database().collection('volunteers').doc(_id).set({ data });
}

export async function findHousehold(id: string): Promise<HouseholdDoc | undefined> {
  const [h] = await listOf<HouseholdDoc>(database().collection('households').where({ _id: id }).limit(1));
  return h;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function peopleUnder(
  orgId: string,
  opts: { q?: string; role?: string; skip: number; limit: number },
): Promise<UserDoc[]> {
  const where: Record<string, unknown> = { areas: orgId };
  if (opts.q) where.name = database().RegExp({ regexp: escapeRegExp(opts.q), options: 'i' });
  if (opts.role) where.roles = _().elemMatch({ role: opts.role, path: orgId });
  return listOf<UserDoc>(users().where(where).orderBy('createdAt', 'desc').skip(opts.skip).limit(opts.limit));
}
