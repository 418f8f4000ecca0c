/**
 * The check-in collections — activities, signups, checkins, attempts, hours, certificates — and the
 * one module that touches them. Every write is conditional or keyed so a retry or a race changes
 * things once: seats by a conditional increment, check-ins by their unique index, hours by their
 * request key, check-out and review in a transaction with the hours they record. It is also where the
 * check-in code's image is asked of WeChat: only the runtime and the stores touch the SDK. The command
 * center's figures (check-ins, hours, activities held) are raised in the same transaction as each.
 */
import { DEFAULT_ACTIVITY_SETTINGS, type ActivitySettings } from '../../../typings/activity';
import { AppError, isDuplicateKey } from '../runtime/errors';
import { database, listOf, sdk, updatedCount } from '../runtime/sdk';
import { withTransaction, type TxOps } from '../runtime/transaction';
import type { RunBudget } from '../runtime/meter';
import { raiseFigures } from '../stats/store';
import { checkinRaises, heldRaise, hoursRaise } from '../stats/domain/records';
import type { Active, Raise } from '../stats/domain/figures';
import { keysetPages } from '../runtime/pages';
import { boundingBox, distanceM } from '../org/domain/geo';
import type { ActivityDoc, AttemptDoc, CheckinDoc, HoursDoc, SignupDoc } from './domain/model';
import type { CertificateDoc } from './domain/certificate';

const _ = () => database().command;
const coll = (name: string) => database().collection(name);

/** The settings live in a collection of their own (one document), so this store reads only what it owns. */
export const SETTINGS_ID = 'center';
let cached: { at: number; settings: ActivitySettings } | undefined;

/** The county's settings, read at most once a minute per instance: a scan costs no read for them. */
export async function loadSettings(nowMs: number): Promise<ActivitySettings> {
  if (cached && nowMs - cached.at < 60_000 && nowMs >= cached.at) return cached.settings;
  const [doc] = await listOf<{ settings: Partial<ActivitySettings> }>(
    coll('activitySettings').where({ _id: SETTINGS_ID }).limit(1),
  );
  const settings = { ...DEFAULT_ACTIVITY_SETTINGS, ...(doc?.settings ?? {}) };
  cached = { at: nowMs, settings };
  return settings;
}

async function one<T>(name: string, where: Record<string, unknown>): Promise<T | undefined> {
  const [d] = await listOf<T>(coll(name).where(where).limit(1));
  return d;
}

/** Adds a document keyed by a unique field; a duplicate answers the one already there. */
async function addOnce<T extends { _id: string }>(name: string, doc: T, key: Record<string, unknown>): Promise<T> {
  try {
    await coll(name).add({ data: doc });
    return doc;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const existing = await one<T>(name, key);
    if (!existing) throw e;
    return existing;
  }
}

// ── activities ─────────────────────────────────────────────────────────────────────────────────

export const findActivity = (id: string) => one<ActivityDoc>('activities', { _id: id });

export const insertActivity = (doc: ActivityDoc) => addOnce('activities', doc, { requestKey: doc.requestKey });

export async function updateActivity(id: string, condition: Record<string, unknown>, set: Partial<ActivityDoc>) {
  return (
    (await updatedCount(
      coll('activities')
        .where({ _id: id, ...condition })
        .update({ data: set }),
    )) === 1
  );
}

/** One seat, if one is left: the database settles who gets the last one. */
export async function takeSeat(id: string, now: Date): Promise<boolean> {
  const n = await updatedCount(
    coll('activities')
      .where({ _id: id, status: 'open', startAt: _().gt(now), seatsLeft: _().gt(0) })
      .update({ data: { signedUp: _().inc(1), seatsLeft: _().inc(-1) } }),
  );
  return n === 1;
}

export async function releaseSeat(id: string): Promise<void> {
  await coll('activities')
    .where({ _id: id, signedUp: _().gt(0) })
    .update({ data: { signedUp: _().inc(-1), seatsLeft: _().inc(1) } });
}

/** A new capacity: the seats left move by the difference, never below what is taken. */
export async function changeCapacity(
  id: string,
  from: number,
  to: number,
  set: Partial<ActivityDoc>,
): Promise<boolean> {
  const where = to < from ? { _id: id, capacity: from, seatsLeft: _().gte(from - to) } : { _id: id, capacity: from };
  return (
    (await updatedCount(
      coll('activities')
        .where(where)
        .update({ data: { ...set, capacity: to, seatsLeft: _().inc(to - from) } }),
    )) === 1
  );
}

/** Activities by a field's range, soonest first (lists: a point's, my area's). */
export async function listActivities(where: Record<string, unknown>, skip: number, limit: number) {
  return listOf<ActivityDoc>(coll('activities').where(where).orderBy('startAt', 'asc').skip(skip).limit(limit));
}

export const upcoming = (now: Date) => ({ endAt: _().gt(now) });
export const idIn = (ids: string[]) => ({ _id: _().in(ids) });

/** Upcoming activities within radiusM, nearest first (the bounding box is the indexed pre-filter). */
export async function activitiesNear(at: { lat: number; lng: number }, radiusM: number, now: Date) {
  const box = boundingBox(at, radiusM);
  const found = await listOf<ActivityDoc>(
    coll('activities')
      .where({
        lat: _().gte(box.minLat).and(_().lte(box.maxLat)),
        lng: _().gte(box.minLng).and(_().lte(box.maxLng)),
        endAt: _().gt(now),
        status: 'open',
      })
      .limit(100),
  );
  return found
    .map((doc) => ({ doc, distanceM: Math.round(distanceM(at, { lat: doc.lat ?? 0, lng: doc.lng ?? 0 })) }))
    .filter((f) => f.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM);
}

/** Closes an ended activity once, counting it held (unless cancelled) in the same transaction. */
export async function closeActivity(id: string): Promise<boolean> {
  return withTransaction(async (tx) => {
    const a = await tx.get<ActivityDoc>('activities', id);
    if (!a || a.closed) return false;
    await tx.update('activities', id, { closed: true });
    if (a.status !== 'cancelled') await raiseFigures(tx, [heldRaise(a)]);
    return true;
  });
}

/** Ended activities the timer has not closed yet. */
export async function activitiesToClose(endedBefore: Date, limit: number) {
  return listOf<ActivityDoc>(
    coll('activities')
      .where({ status: 'open', closed: false, endAt: _().lt(endedBefore) })
      .orderBy('endAt', 'asc')
      .limit(limit),
  );
}

// ── signups ────────────────────────────────────────────────────────────────────────────────────

export const findSignup = (id: string) => one<SignupDoc>('signups', { _id: id });

/** Marks the person signed up; false when someone (a retry) already did. */
export async function claimSignup(doc: SignupDoc, before: SignupDoc | undefined): Promise<boolean> {
  if (!before) {
    try {
      await coll('signups').add({ data: doc });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }
  const { _id, ...fields } = doc;
  return (await updatedCount(coll('signups').where({ _id, status: 'cancelled' }).update({ data: fields }))) === 1;
}

export async function releaseSignup(id: string, at: Date): Promise<boolean> {
  return (
    (await updatedCount(
      coll('signups')
        .where({ _id: id, status: 'signed' })
        .update({ data: { status: 'cancelled', at } }),
    )) === 1
  );
}

export async function signupsOf(where: Record<string, unknown>, skip: number, limit: number) {
  return listOf<SignupDoc>(coll('signups').where(where).orderBy('at', 'desc').skip(skip).limit(limit));
}

// ── check-ins ──────────────────────────────────────────────────────────────────────────────────

export const findCheckin = (id: string) => one<CheckinDoc>('checkins', { _id: id });

/**
 * The check-in: one add under the unique index (false when this person is already in), nothing else,
 * so five hundred volunteers scanning in within a minute never meet on a document. The command
 * center counts it from the check-ins themselves: it is stored `figured: false` with the activity's
 * path, and the timer (`figurePendingCheckins`) raises the figures of a batch in one transaction.
 */
export async function insertCheckin(doc: CheckinDoc, activityPath: readonly string[]): Promise<boolean> {
  try {
    await coll('checkins').add({ data: { ...doc, figuresPath: [...activityPath], figured: false } });
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}

/** Check-ins per transaction when the timer counts them: at most this many. */
const FIGURE_BATCH = 20;
/**
 * What a batch of k may cost: FIGURE_FIXED (its transaction's start and commit, the figure documents
 * of the activity's nodes) plus k times what one check-in may cost (its read and mark, the person's
 * active-volunteer markers) — FIGURE_EACH until a batch has run, then the most a check-in cost in this run.
 */
const FIGURE_FIXED = 12;
const FIGURE_EACH = 12;

/**
 * The timer's half of counting check-ins: those not yet counted (oldest first), a batch at a time,
 * each batch marked counted and its figures raised in one transaction — a check-in counted by another
 * run in between is skipped, so each counts exactly once. A batch is only as large as the run's budget
 * of operations still allows (`b`); the rest wait, oldest first, for the next run. Answers how many counted.
 */
export async function figurePendingCheckins(b: RunBudget, limit = 400): Promise<number> {
  const fits = () => Math.floor((b.maxOps - b.spent() - FIGURE_FIXED) / b.reserve('figure', FIGURE_EACH));
  // The query, and no more check-ins than the operations left can count: what is read is what is counted.
  const n = Math.min(limit, fits() - 1);
  if (n < 1 || !b.timeLeft()) return 0;
  const pending = await listOf<Pick<CheckinDoc, '_id'>>(
    coll('checkins').where({ figured: false }).orderBy('inAt', 'asc').field({ _id: true }).limit(n),
  );
  let counted = 0;
  for (let i = 0; i < pending.length;) {
    const k = Math.min(FIGURE_BATCH, pending.length - i, fits());
    if (k < 1 || !b.timeLeft()) break;
    const ids = pending.slice(i, i + k).map((c) => c._id);
    i += k;
    const before = b.spent();
    counted += await figureBatch(ids);
    b.record('figure', Math.ceil((b.spent() - before) / k));
  }
  return counted;
}

/** One batch of check-ins marked counted and their figures raised, in one transaction. */
async function figureBatch(ids: string[]): Promise<number> {
  return withTransaction(async (tx): Promise<number> => {
    const raises: Raise[] = [];
    const actives: Active[] = [];
    for (const id of ids) {
      const c = await tx.get<CheckinDoc>('checkins', id);
      if (!c || c.figured !== false) continue;
      await tx.update('checkins', id, { figured: true });
      const r = checkinRaises(c, c.figuresPath ?? []);
      raises.push(...r.raises);
      actives.push(...r.actives);
    }
    await raiseFigures(tx, raises, actives);
    return raises.length;
  }).catch((e: unknown) => {
    // Another run is counting this batch right now: it is theirs, or the next run's.
    if (e instanceof AppError && e.code === 'CONFLICT') return 0;
    throw e;
  });
}

/**
 * A change to a check-in (out, auto out, review) where it still is as decided, with the hours it
 * records, in one transaction: hours exist exactly when the check-in says they should.
 */
export async function changeCheckin(
  id: string,
  expect: Partial<Pick<CheckinDoc, 'state' | 'review'>>,
  set: Partial<CheckinDoc>,
  hours: HoursDoc | null,
): Promise<boolean> {
  return withTransaction(async (tx) => {
    const c = await tx.get<CheckinDoc>('checkins', id);
    if (!c || Object.entries(expect).some(([k, v]) => c[k as keyof CheckinDoc] !== v)) return false;
    await tx.update('checkins', id, set);
    // Hours are only ever written with the check-out that leaves state 'in': when this one does, they
    // cannot exist yet, and reading them would be a round trip for nothing (the unique _id still guards).
    if (hours && (expect.state === 'in' || !(await tx.get<HoursDoc>('hours', hours._id)))) await addHours(tx, hours);
    return true;
  });
}

export async function checkinsOf(where: Record<string, unknown>, skip: number, limit: number) {
  return listOf<CheckinDoc>(coll('checkins').where(where).orderBy('inAt', 'asc').skip(skip).limit(limit));
}

export async function count(name: 'checkins' | 'signups', where: Record<string, unknown>): Promise<number> {
  return ((await coll(name).where(where).count()) as { total: number }).total;
}

export async function recordAttempt(doc: AttemptDoc): Promise<void> {
  try {
    await coll('attempts').add({ data: doc });
  } catch (e) {
    // The refusal stands either way; a lost record of it must not turn into a crash for the volunteer.
    console.warn('attempt not recorded', e);
  }
}

export async function attemptsOf(activityId: string, limit: number) {
  return listOf<AttemptDoc>(coll('attempts').where({ activityId }).orderBy('at', 'desc').limit(limit));
}

// ── hours and certificates ─────────────────────────────────────────────────────────────────────

async function addHours(tx: TxOps, doc: HoursDoc): Promise<void> {
  await tx.add('hours', doc);
  await raiseFigures(tx, [hoursRaise(doc)]);
}

/** Hours given by hand (honour, correction), counted in the same transaction; a retry answers the first. */
export async function insertHours(doc: HoursDoc): Promise<HoursDoc> {
  try {
    await withTransaction((tx) => addHours(tx, doc));
    return doc;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const existing = await one<HoursDoc>('hours', { requestKey: doc.requestKey });
    if (!existing) throw e;
    return existing;
  }
}

/**
 * Hours records written inside another capability's transaction (an order's closing), counted in the
 * figures there too: each `_id` and `requestKey` names its source, so the unique index refuses a second
 * one and the transaction with it.
 */
export async function addHoursInTransaction(tx: TxOps, docs: readonly HoursDoc[]): Promise<void> {
  for (const d of docs) await addHours(tx, d);
}
export const findHours = (id: string) => one<HoursDoc>('hours', { _id: id });

export async function hoursOf(openid: string, skip: number, limit: number, range?: { from: Date; to: Date }) {
  const where = range ? { openid, at: _().gte(range.from).and(_().lt(range.to)) } : { openid };
  return listOf<HoursDoc>(coll('hours').where(where).orderBy('at', 'desc').skip(skip).limit(limit));
}

/** Every record of a person (in a period), a page of 100 at a time, up to `max`. */
export async function allHoursOf(openid: string, max: number, range?: { from: Date; to: Date }): Promise<HoursDoc[]> {
  const out: HoursDoc[] = [];
  for (let skip = 0; skip < max; skip += 100) {
    const page = await hoursOf(openid, skip, 100, range);
    out.push(...page);
    if (page.length < 100) break;
  }
  return out;
}

/** A node's totals: recorded and honour minutes, and how many people. */
export async function totalsUnder(orgId: string) {
  const $ = _().aggregate;
  const r = (await coll('hours')
    .aggregate()
    .match({ path: orgId })
    .group({ _id: '$kind', minutes: $.sum('$minutes'), people: $.addToSet('$openid') })
    .limit(10)
    .end()) as { list: { _id: string; minutes: number; people: string[] }[] };
  const of = (k: string) => r.list.find((g) => g._id === k);
  const people = new Set(r.list.flatMap((g) => g.people));
  return {
    recordedMinutes: of('recorded')?.minutes ?? 0,
    honourMinutes: of('honour')?.minutes ?? 0,
    people: people.size,
  };
}

export const insertCertificate = (doc: CertificateDoc) => addOnce('certificates', doc, { _id: doc._id });
export const findCertificate = (code: string) => one<CertificateDoc>('certificates', { _id: code });
/** Remembers where the certificate's PDF is kept (the same path on every try: a retry writes the same). */
export async function setCertificatePdf(code: string, fileId: string): Promise<void> {
  await coll('certificates')
    .doc(code)
    .update({ data: { pdfFileId: fileId } });
}
export async function certificatesOf(openid: string, skip: number, limit: number) {
  return listOf<CertificateDoc>(
    coll('certificates').where({ openid }).orderBy('issuedAt', 'desc').skip(skip).limit(limit),
  );
}

// ── the code as an image ───────────────────────────────────────────────────────────────────────

/** The page WeChat's own scanner opens with a check-in code's scene. */
export const SCAN_PAGE = 'packages/activity/scan/index';

/**
 * The check-in code as a PNG data URL (wxacode.getUnlimited: 5,000 calls a minute, far above one code
 * every 30 s per activity), or null when the platform would not make one (the scene still shows).
 */
export async function codeImage(scene: string): Promise<string | null> {
  try {
    const r = (await sdk().openapi.wxacode.getUnlimited({
      scene,
      page: SCAN_PAGE,
      width: 430,
      checkPath: false,
    } as Parameters<ReturnType<typeof sdk>['openapi']['wxacode']['getUnlimited']>[0])) as {
      buffer?: Buffer | Uint8Array;
    };
    if (!r.buffer) return null;
    return `data:image/png;base64,${Buffer.from(r.buffer).toString('base64')}`;
  } catch (e) {
    console.warn('wxacode.getUnlimited failed', e);
    return null;
  }
}

/**
 * A closed account's records under a pseudonym: hours and check-ins stay for the county's records,
 * sign-ups too, with the name erased. Where-updates that match nothing once done: safe to run again.
 */
export async function anonymisePerson(openid: string, who: { openid: string; name: string }): Promise<void> {
  await coll('hours')
    .where({ openid })
    .update({ data: { openid: who.openid } });
  for (const name of ['signups', 'checkins']) {
    await coll(name)
      .where({ openid })
      .update({ data: { openid: who.openid, name: who.name } });
  }
  // A certificate still verifies by its code, but names nobody.
  await coll('certificates')
    .where({ openid })
    .update({ data: { openid: who.openid, name: who.name, maskedId: '未登记' } });
}
// ── exports ───────────────────────────────────────────────────────────────────────────────────────

/** Activities under a node starting in [from, to), in start order, a keyset page at a time (path_start). */
export const activitiesUnder = (orgId: string, from: Date, to: Date, fields?: string[]) =>
  keysetPages<ActivityDoc>(coll('activities'), { where: { path: orgId }, key: 'startAt', from, to, fields });

/** The check-ins of some activities (≤ 1,000 ids), in check-in order, a keyset page at a time (activity_in). */
export const checkinsOfActivities = (activityIds: readonly string[], fields?: string[]) =>
  keysetPages<CheckinDoc>(coll('checkins'), {
    where: { activityId: _().in([...activityIds]) },
    key: 'inAt',
    fields,
  });

/** Service hours counted under a node done before `to` (from `from` when given), a keyset page at a time (path_at). */
export const hoursUnder = (orgId: string, to: Date, from?: Date, fields?: string[]) =>
  keysetPages<HoursDoc>(coll('hours'), { where: { path: orgId }, key: 'at', from, to, fields });
