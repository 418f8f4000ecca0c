/**
 * The people's store: the only module that reads and writes users, households, bindings and
 * volunteers. Other capabilities change them through its functions (an order's transition changes a
 * volunteer's counters with changeCounters, inside the order's own transaction).
 */
import { randomBytes } from 'node:crypto';
import { VOLUNTEER_LIMITS, type Category, type VolunteerStatus } from '../../../typings/domain';
import { database, listOf, updatedCount } from '../runtime/sdk';
import { withTransaction, type TxOps } from '../runtime/transaction';
import { raiseFigures } from '../stats/store';
import { registeredRaise } from '../stats/domain/records';
import { keysetPages } from '../runtime/pages';
import { AppError, isDuplicateKey } from '../runtime/errors';
import { hashed, opened, sealed } from '../runtime/phones';
import {
  boundFields,
  bindingStep,
  answered,
  asking,
  joinRefusal,
  joining,
  leaving,
  leavingForGood,
  newHousehold,
  renamed,
  roleFields,
  newUser,
  roleKey,
  type BindingDoc,
  type CounterChange,
  type HouseholdDoc,
  type UserDoc,
  type VolunteerDoc,
} from './domain/model';

const users = () => database().collection('users');
const _ = () => database().command;

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

/**
 * A household's number (户号): eight digits, easy to read out and type on an old phone, and with failed
 * tries limited per day (JOIN_TRIES_PER_DAY), far too many to guess one.
 */
function newHouseholdNumber(): string {
  return String(10_000_000 + (randomBytes(4).readUInt32BE(0) % 90_000_000));
}

/** A new household's number may already be taken: the whole binding is tried again with another. */
async function retryOnDuplicate<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i += 1) {
    try {
      return await attempt();
    } catch (e) {
      if (!isDuplicateKey(e) || i >= 4) throw e;
    }
  }
}

/**
 * Binds a villager to their village (station) and household (户): moving village closes the earlier
 * binding and keeps it as history; leaving a household hands headship to the next member. All of it in
 * one transaction, so a binding is never half made; a retry with nothing to change changes nothing.
 * Answers the user as written, and the household too where it was written (none: left as it was).
 */
export async function bindUser(
  openid: string,
  station: { id: string; path: string[] },
  req: { name: string },
  now: Date,
): Promise<{ user: UserDoc; household?: HouseholdDoc }> {
  return retryOnDuplicate(() =>
    withTransaction(async (tx) => {
      const u = await tx.get<UserDoc>('users', openid);
      if (!u) throw new AppError('INTERNAL');
      const step = bindingStep(u, station.id, req);
      if (step === 'none') return { user: u }; // a retry, or nothing to change
      const member = { openid, name: req.name };
      let householdId = u.householdId;
      let bindingId = u.bindingId ?? null;
      let household: HouseholdDoc | undefined;
      if (step === 'move') {
        // Leave the household they were in; join the one asked for, or head a new one.
        const old = u.householdId ? await tx.get<HouseholdDoc>('households', u.householdId) : undefined;
        if (old) await tx.update('households', old._id, { ...leaving(old, openid), updatedAt: now });
        // Another household is joined only with its head's consent (requestJoin, answerJoin).
        householdId = newHouseholdNumber();
        household = newHousehold(householdId, station.id, member, now);
        await tx.add('households', household);
        // Close the earlier binding and open this one: moving village leaves history intact.
        if (u.bindingId) await tx.update('bindings', u.bindingId, { to: now });
        bindingId = `${openid}-${randomBytes(6).toString('hex')}`;
        await tx.add('bindings', {
          _id: bindingId,
          openid,
          stationId: station.id,
          householdId: householdId ?? '',
          from: now,
          to: null,
        } satisfies BindingDoc);
      } else if (u.householdId) {
        // Same household, new name: keep the member list in step.
        const h = await tx.get<HouseholdDoc>('households', u.householdId);
        if (h) {
          household = { ...h, ...renamed(h, member), updatedAt: now };
          await tx.update('households', h._id, { ...renamed(h, member), updatedAt: now });
        }
      }
      const fields = boundFields(u, station, req.name, householdId, bindingId);
      await tx.update('users', openid, fields);
      return { user: { ...u, ...fields }, household };
    }),
  );
}

// ── closing an account (注销) ─────────────────────────────────────────────────────────────────

/**
 * Leaves the household and closes the open binding, in one transaction: headship passes to the next
 * member, as when someone moves village (a household with nobody left stays, empty, for its points).
 * Nobody is left waiting on the person: their own request to join another household is withdrawn, and
 * when they headed theirs, the requests waiting on them are withdrawn too (leavingForGood).
 */
export async function leaveHousehold(openid: string, now: Date): Promise<void> {
  await withTransaction(async (tx) => {
    const u = await tx.get<UserDoc>('users', openid);
    if (!u) return;
    const h = u.householdId ? await tx.get<HouseholdDoc>('households', u.householdId) : undefined;
    if (h && h.members.some((m) => m.openid === openid)) {
      const { fields, withdrawn } = leavingForGood(h, openid);
      await tx.update('households', h._id, { ...fields, updatedAt: now });
      for (const asker of withdrawn) {
        const a = await tx.get<UserDoc>('users', asker);
        if (a?.joinRequest === h._id) await tx.update('users', asker, { joinRequest: null });
      }
    }
    const asked = u.joinRequest ? await tx.get<HouseholdDoc>('households', u.joinRequest) : undefined;
    if (asked) await tx.update('households', asked._id, { ...answered(asked, openid), updatedAt: now });
    if (u.bindingId) await tx.update('bindings', u.bindingId, { to: now });
    await tx.update('users', openid, {
      householdId: null,
      bindingId: null,
      stationId: null,
      joinRequest: null,
      rev: (u.rev ?? 0) + 1,
    });
  });
}

/** The volunteer registration withdrawn (pending or not): the record with their name and phone goes. */
export async function removeVolunteer(openid: string): Promise<void> {
  await database().collection('volunteers').doc(openid).remove();
}

/**
 * The last step of closing: the user record under the openid goes (a later login is a new person), and
 * a record under the pseudonym stays, with no personal field, for the county's count of closed accounts.
 */
export async function finishClosing(openid: string, pseudonym: string, at: Date): Promise<void> {
  try {
    await users().add({
      data: { ...newUser(pseudonym, at), closing: { pseudonym, at }, name: null, lastLoginAt: at } satisfies UserDoc,
    });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  await users().doc(openid).remove();
}

/** Bindings keep their history under the pseudonym. */
export async function anonymiseBindings(openid: string, pseudonym: string): Promise<void> {
  await database()
    .collection('bindings')
    .where({ openid })
    .update({ data: { openid: pseudonym } });
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

// ── joining a household: a request its head answers ─────────────────────────────────────────

const refuse = (why: string | null) => {
  if (why) throw new AppError('FAILED_PRECONDITION', why);
};

/**
 * Asks to join a household of the asker's village: the request waits on the household for its head,
 * and the asker's record names it (their page shows "waiting for the head"). Asking again (a retry, or
 * a new name) replaces the earlier request; asking another household withdraws the earlier one.
 * Answers the user and the household asked, as written.
 */
export async function requestJoin(
  openid: string,
  householdId: string,
  now: Date,
): Promise<{ user: UserDoc; household: HouseholdDoc }> {
  return withTransaction(async (tx) => {
    const u = await tx.get<UserDoc>('users', openid);
    const h = await tx.get<HouseholdDoc>('households', householdId);
    if (!u || !u.stationId || !u.name) throw new AppError('FAILED_PRECONDITION', '请先绑定您所在的村（社区）。');
    if (!h || h.stationId !== u.stationId) throw new AppError('NOT_FOUND', '这个村里没有找到这一户，请核对户号。');
    if (h.members.some((m) => m.openid === openid)) return { user: u, household: h }; // already in it
    refuse(joinRefusal(h, openid, 'ask'));
    if (u.joinRequest && u.joinRequest !== h._id) {
      const earlier = await tx.get<HouseholdDoc>('households', u.joinRequest);
      if (earlier) await tx.update('households', earlier._id, { ...answered(earlier, openid), updatedAt: now });
    }
    const asked = { ...asking(h, { openid, name: u.name, at: now }), updatedAt: now };
    await tx.update('households', h._id, asked);
    await tx.update('users', openid, { joinRequest: h._id });
    return { user: { ...u, joinRequest: h._id }, household: { ...h, ...asked } };
  });
}

/**
 * The head of a household answers a request to join it. Agreed, the asker leaves their household
 * (headship passing on as when moving) and joins this one, with a new binding record, in one
 * transaction; the size limit is checked in it, so two agreements at once cannot overfill the house.
 * A retry of an answer already given answers the household as it is.
 */
export async function answerJoin(
  head: string,
  asker: string,
  approve: boolean,
  now: Date,
): Promise<{ head: UserDoc; household: HouseholdDoc }> {
  return withTransaction(async (tx) => {
    const me = await tx.get<UserDoc>('users', head);
    const h = me?.householdId ? await tx.get<HouseholdDoc>('households', me.householdId) : undefined;
    // Not a permission of a role: a step only the head of the caller's own household can take.
    if (!me || !h || h.headOpenid !== head)
      throw new AppError('FAILED_PRECONDITION', '只有户主才能同意别人加入这一户。');
    const request = (h.requests ?? []).find((r) => r.openid === asker);
    if (!request) {
      if (h.members.some((m) => m.openid === asker) || !approve) return { head: me, household: h }; // answered before
      throw new AppError('NOT_FOUND', '没有找到这个申请，可能对方已经撤回了。');
    }
    const u = await tx.get<UserDoc>('users', asker);
    const stillAsking = u && u.joinRequest === h._id && u.stationId === h.stationId;
    if (!approve || !stillAsking) {
      const declined = { ...answered(h, asker), updatedAt: now };
      await tx.update('households', h._id, declined);
      if (u && u.joinRequest === h._id) await tx.update('users', asker, { joinRequest: null });
      if (approve) throw new AppError('FAILED_PRECONDITION', '对方已经不在本村或撤回了申请。');
      return { head: me, household: { ...h, ...declined } };
    }
    refuse(joinRefusal(h, asker, 'approve'));
    const member = { openid: asker, name: u.name ?? request.name };
    const old =
      u.householdId && u.householdId !== h._id ? await tx.get<HouseholdDoc>('households', u.householdId) : undefined;
    if (old) await tx.update('households', old._id, { ...leaving(old, asker), updatedAt: now });
    const joined = { ...joining(h, member), ...answered(h, asker), updatedAt: now };
    await tx.update('households', h._id, joined);
    if (u.bindingId) await tx.update('bindings', u.bindingId, { to: now });
    const bindingId = `${asker}-${randomBytes(6).toString('hex')}`;
    await tx.add('bindings', {
      _id: bindingId,
      openid: asker,
      stationId: h.stationId,
      householdId: h._id,
      from: now,
      to: null,
    } satisfies BindingDoc);
    await tx.update('users', asker, { householdId: h._id, joinRequest: null, bindingId, rev: (u.rev ?? 0) + 1 });
    return { head: me, household: { ...h, ...joined } };
  });
}
