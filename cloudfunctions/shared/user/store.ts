/**
 * The people's store: the only module that reads and writes users, households, bindings and
 * volunteers. Other capabilities change them through its functions (an order's transition changes a
 * volunteer's counters with changeCounters, inside the order's own transaction). Binding, joining and
 * leaving a household, and closing an account, go on in store-households.ts.
 */
import { VOLUNTEER_LIMITS, type Category, type VolunteerStatus } from '../../../typings/domain';
import { database, listOf, updatedCount } from '../runtime/sdk';
import { withTransaction, type TxOps } from '../runtime/transaction';
import { raiseFigures } from '../stats/store';
import { registeredRaise } from '../stats/domain/records';
import { AppError, isDuplicateKey } from '../runtime/errors';
import { hashed, opened, sealed } from '../runtime/phones';
import {
  roleFields,
  newUser,
  roleKey,
  type CounterChange,
  type HouseholdDoc,
  type UserDoc,
  type VolunteerDoc,
} from './domain/model';

export const users = () => database().collection('users');
export const _ = () => database().command;

/**
 * The caller's record, created on first sight of an openid; safe to call twice, and twice at once. One
 * read for someone known (a new openid: the read, then the insert whose unique key settles a twin call).
 */
export async function ensureUser(openid: string, at: Date): Promise<{ user: UserDoc; created: boolean }> {
  const found = await findUser(openid);
  return found ? { user: found, created: false } : addUser(openid, at);
}

/** Inserts the record of an openid just read as unknown; a twin call that inserted first is read instead. */
export async function addUser(openid: string, at: Date): Promise<{ user: UserDoc; created: boolean }> {
  const user = newUser(openid, at);
  try {
    await users().add({ data: user });
    return { user, created: true };
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    // Created at this moment by a twin call (a retry that overtook the first): read as it stands.
    const twin = await findUser(openid);
    if (!twin) throw new AppError('INTERNAL');
    return { user: twin, created: false };
  }
}

/**
 * A login: the record ensured (ensureUser) and its lastLoginAt stamped, the stamp written beside what
 * `answer` reads from the user (one round trip for both); the user it is given already carries the stamp.
 */
export async function loginUser<T>(
  openid: string,
  at: Date,
  answer: (user: UserDoc, created: boolean) => Promise<T>,
): Promise<T> {
  const { user, created } = await ensureUser(openid, at);
  if (created) return answer(user, created);
  const [answered] = await Promise.all([
    answer({ ...user, lastLoginAt: at }, created),
    users()
      .doc(openid)
      .update({ data: { lastLoginAt: at } }),
  ]);
  return answered;
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
export async function mutateUser(
  openid: string,
  change: (user: UserDoc) => Partial<UserDoc> | null,
  /** The record as the caller has just read it: the first try starts from it (a stale one only misses). */
  read?: UserDoc,
): Promise<UserDoc> {
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const user = attempt === 0 && read ? read : await findUser(openid);
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

/** A volunteer as read: the phone opened (it is stored sealed, with its keyed hash beside it). */
const readVolunteer = (v: VolunteerDoc): VolunteerDoc => (v.phone ? { ...v, phone: opened(v.phone) } : v);

export async function findVolunteer(openid: string): Promise<VolunteerDoc | undefined> {
  const [v] = await listOf<VolunteerDoc>(database().collection('volunteers').where({ _id: openid }).limit(1));
  return v && readVolunteer(v);
}

/** The volunteers registered with this phone number (matched by its keyed hash, never by the number). */
export async function volunteersWithPhone(phone: string): Promise<VolunteerDoc[]> {
  const found = await listOf<VolunteerDoc>(
    database()
      .collection('volunteers')
      .where({ phoneHash: hashed(phone) })
      .limit(20),
  );
  return found.map(readVolunteer);
}

export async function findVolunteers(openids: string[]): Promise<Map<string, VolunteerDoc>> {
  if (openids.length === 0) return new Map();
  const list = await listOf<VolunteerDoc>(
    database()
      .collection('volunteers')
      .where({ _id: _().in([...new Set(openids)]) })
      .limit(100),
  );
  return new Map(list.map((v) => [v._id, readVolunteer(v)]));
}

export type VolunteerProfileFields = Pick<
  VolunteerDoc,
  'name' | 'phone' | 'skills' | 'stationIds' | 'areas' | 'skillStations' | 'availability' | 'updatedAt'
> & { phoneHash?: string };

/**
 * Registers a volunteer, or updates their profile: a first registration creates the record with its
 * counters at zero; afterwards (and when two first registrations race) only the profile fields are
 * updated, so the load and ratings that matching keeps by atomic increments are never overwritten.
 * `previous` is the record as the caller has just read it (none: not registered); answers the record as
 * written (the previous one with the profile), or undefined after a race of first registrations.
 */
export async function saveVolunteerProfile(
  openid: string,
  profile: VolunteerProfileFields,
  status: VolunteerStatus | null,
  previous: VolunteerDoc | undefined,
): Promise<VolunteerDoc | undefined> {
  const answered = { ...profile, ...(status ? { status } : {}) };
  const volunteers = database().collection('volunteers');
  // The phone is stored sealed, with its keyed hash for matching: never in clear.
  profile = { ...profile, phone: sealed(profile.phone), phoneHash: hashed(profile.phone) };
  // availability is replaced whole (_.set), not merged field by field into the old one.
  const update = () =>
    volunteers.doc(openid).update({
      data: { ...profile, availability: database().command.set(profile.availability), ...(status ? { status } : {}) },
    });
  if (previous) {
    // A record that has gone since it was read makes the update miss: it is then added as new.
    if ((await updatedCount(update())) === 1) return { ...previous, ...answered };
  }
  const doc: VolunteerDoc = {
    _id: openid,
    openid,
    ...profile,
    status: status ?? 'pending',
    load: 0,
    ratingSum: 0,
    ratingCount: 0,
    registeredAt: profile.updatedAt,
  };
  try {
    await volunteers.add({ data: doc });
    return { ...doc, ...answered };
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await update();
    return undefined;
  }
}

export async function findHousehold(id: string): Promise<HouseholdDoc | undefined> {
  const [h] = await listOf<HouseholdDoc>(database().collection('households').where({ _id: id }).limit(1));
  return h;
}

/** Volunteers with the skill at any of the stations, active, not passed over: the matching pool. */
export async function volunteersFor(
  category: Category,
  stationIds: readonly string[],
  exclude: readonly string[],
): Promise<VolunteerDoc[]> {
  const keys = stationIds.map((s) => `${category}@${s}`);
  const out: VolunteerDoc[] = [];
  // The caller passes the stations nearest the order (a few dozen at most): a few indexed round trips.
  for (let i = 0; i < keys.length; i += 100) {
    for (let skip = 0; ; skip += 1000) {
      const page = await listOf<VolunteerDoc>(
        database()
          .collection('volunteers')
          .where({ skillStations: _().in(keys.slice(i, i + 100)), status: 'active' })
          .orderBy('_id', 'asc') // a stable order, so the pages neither skip nor repeat anyone
          .field({
            openid: true,
            name: true,
            stationIds: true,
            load: true,
            ratingSum: true,
            ratingCount: true,
            availability: true,
          })
          .skip(skip)
          .limit(1000),
      );
      out.push(...page);
      if (page.length < 1000) break;
    }
  }
  const skip = new Set(exclude);
  const seen = new Set<string>();
  return out.filter((v) => !skip.has(v.openid) && !seen.has(v.openid) && seen.add(v.openid));
}

/**
 * A volunteer's work counters, changed inside a caller's transaction (an order's transition): refused
 * with FAILED_PRECONDITION when a claim would take the volunteer's load past its cap.
 */
export async function changeCounters(tx: TxOps, changes: readonly CounterChange[]): Promise<void> {
  for (const c of changes) {
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.inc)) if (v) data[k] = _().inc(v);
    const v = await tx.get<{ load?: number }>('volunteers', c.openid);
    if (!v) continue;
    if (c.loadBelow !== undefined && (v.load ?? 0) >= c.loadBelow) {
      throw new AppError('FAILED_PRECONDITION', `手上已经有${c.loadBelow}个任务了，先办好再接新的吧。`);
    }
    await tx.update('volunteers', c.openid, data);
  }
}

/**
 * A station head's verdict on a pending registration, by a conditional update on its status: a retry of
 * the same verdict answers the volunteer as they are; a different verdict after the first is CONFLICT.
 */
export async function settleRegistration(
  openid: string,
  to: 'active' | 'rejected',
  by: string,
  at: Date,
  reason: string | undefined,
  /** The path of the volunteer's first station, where an approval counts them registered. */
  stationPath: string[] | undefined,
): Promise<VolunteerDoc> {
  // An approval counts the volunteer registered at their first station, in the same transaction; the
  // record is answered as the transaction read and wrote it (nothing is read after).
  const outcome = await withTransaction(async (tx) => {
    const v = await tx.get<VolunteerDoc>('volunteers', openid);
    if (!v || v.status !== 'pending') return { settled: false, v };
    const fields = { status: to, reviewedBy: by, reviewedAt: at, reviewReason: reason ?? null };
    await tx.update('volunteers', openid, fields);
    if (to === 'active' && stationPath) await raiseFigures(tx, [registeredRaise(stationPath, at)]);
    return { settled: true, v: { ...v, ...fields } };
  });
  if (!outcome.v) throw new AppError('NOT_FOUND', '没有找到这位志愿者的登记。');
  if (!outcome.settled && outcome.v.status !== to) throw new AppError('CONFLICT', '这份登记已经审核过了。');
  return readVolunteer(outcome.v);
}

/** Registrations waiting at a station, oldest first. */
export async function pendingAt(stationId: string): Promise<VolunteerDoc[]> {
  return (
    await listOf<VolunteerDoc>(
      database()
        .collection('volunteers')
        .where({ stationIds: stationId, status: 'pending' })
        .orderBy('registeredAt', 'asc')
        .limit(100),
    )
  ).map(readVolunteer);
}

/** Volunteers serving under a node who were flagged for declining after seeing contacts. */
export async function flaggedUnder(orgId: string): Promise<VolunteerDoc[]> {
  return (
    await listOf<VolunteerDoc>(database().collection('volunteers').where({ areas: orgId, flagged: true }).limit(100))
  ).map(readVolunteer);
}

/** One more decline after seeing a contact; the volunteer is flagged once they reach the limit. */
export async function noteDeclineAfterReveal(openid: string): Promise<void> {
  const volunteers = database().collection('volunteers');
  await volunteers.doc(openid).update({ data: { declinesAfterReveal: _().inc(1) } });
  await volunteers
    .where({ _id: openid, declinesAfterReveal: _().gte(VOLUNTEER_LIMITS.flagAfterRevealDeclines) })
    .update({ data: { flagged: true } });
}

/** How many people hold `role` at node `orgId` (the start of its standing count). */
export async function countHolders(role: string, orgId: string): Promise<number> {
  return (
    (await users()
      .where({ roleKeys: roleKey(role, orgId) })
      .count()) as { total: number }
  ).total;
}

/** The people holding `role` at node `orgId` (e.g. the station heads of a station). */
export async function holders(role: string, orgId: string): Promise<string[]> {
  const found = await listOf<{ openid: string }>(
    users()
      .where({ roleKeys: roleKey(role, orgId) })
      .field({ openid: true })
      .limit(100),
  );
  return found.map((u) => u.openid);
}
