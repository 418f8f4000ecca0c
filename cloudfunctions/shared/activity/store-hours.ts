/**
 * The check-in store, continued (store.ts): service hours — recorded at check-out or an order's close,
 * given by hand as honour — each counted in the command center's figures in the same transaction;
 * certificates; and the keyset readers the Excel exports page through.
 */
import { isDuplicateKey } from '../runtime/errors';
import { listOf } from '../runtime/sdk';
import { withTransaction, type TxOps } from '../runtime/transaction';
import { keysetPages } from '../runtime/pages';
import { _, addHours, addOnce, coll, one } from './store';
import type { ActivityDoc, CheckinDoc, HoursDoc } from './domain/model';
import type { CertificateDoc } from './domain/certificate';

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
