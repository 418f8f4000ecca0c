/**
 * The people's store, continued (store.ts): binding a villager to a village and household, a household
 * join request its head answers, and what closing an account (注销) does to households, bindings and
 * volunteer records. Each is one transaction, so nothing is ever half done, and safe to retry.
 */
import { randomBytes } from 'node:crypto';
import { database } from '../runtime/sdk';
import { withTransaction } from '../runtime/transaction';
import { AppError, isDuplicateKey } from '../runtime/errors';
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
  newUser,
  type BindingDoc,
  type HouseholdDoc,
  type UserDoc,
} from './domain/model';
import { _, users } from './store';

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
