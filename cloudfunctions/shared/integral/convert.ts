/**
 * Points earned elsewhere (issue 9): a volunteer's confirmed check-in hours and a requester's good
 * rating of their order turn into a record for the volunteer's household under the station's
 * conversion rule (`vol-hours`, `vol-order`), through the ledger's own path: decideConversion makes
 * the record (straight onto the public notice), store.insertClaim writes it with its cap slot, and
 * the timer posts it when the notice ends. Its id and key name the source (the hours record, the
 * order's fulfilment), so asking twice makes one record.
 *
 * A follow-up of a change that has already won: it never fails its caller. A volunteer without a
 * household, a rule the station switched off, a rating below four stars or a monthly cap reached
 * earn nothing, and say so only in the log.
 */
import type { HoursDoc } from '../activity/domain/model';
import { findUser } from '../user/store';
import { decideConversion } from './domain/convert';
import type { ClaimDoc } from './domain/model';
import { isRefusal } from './domain/decide';
import { catalogue, HOURS_RULE, ORDER_RULE } from './domain/template';
import * as store from './store';

interface Source {
  source: 'hours' | 'order';
  /** Names the source: one record per key. */
  key: string;
  openid: string;
  /** Hours served, or the stars of the rating. */
  amount: number;
  note: string;
}

/** `householdId`: the volunteer's household where the caller has read it already (null: none). */
async function convert(s: Source, now: Date, householdId?: string | null): Promise<ClaimDoc | null> {
  try {
    if (householdId === undefined) householdId = (await findUser(s.openid))?.householdId;
    if (!householdId) return null;
    const household = await store.householdRef(householdId);
    if (!household) return null;
    const [overrides, settings] = await Promise.all([store.loadOverrides(household.stationId), store.loadSettings()]);
    const rule = catalogue(overrides).find((r) => r.id === (s.source === 'hours' ? HOURS_RULE : ORDER_RULE));
    if (!rule) return null;
    const id = `${s.source}-${s.key.replace(/[^0-9A-Za-z_-]/g, '-')}`.slice(0, 120);
    const doc = decideConversion(
      { id, source: s.source, amount: s.amount, sourceKey: s.key, rule, household, note: s.note, now },
      settings,
    );
    if (!doc || isRefusal(doc)) return null;
    return await store.insertClaim(doc);
  } catch (e) {
    console.warn(`[integral] no points for ${s.source} ${s.key}`, e);
    return null;
  }
}

/** Recorded check-in hours, once confirmed: whole hours times the rule's points. */
export function convertHours(h: HoursDoc, now: Date): Promise<ClaimDoc | null> {
  if (h.kind !== 'recorded' || h.source !== 'checkin' || h.minutes <= 0) return Promise.resolve(null);
  return convert(
    {
      source: 'hours',
      key: h.requestKey,
      openid: h.openid,
      amount: h.minutes / 60,
      note: `志愿服务：${h.title}（${h.placeName}）${Math.round((h.minutes / 60) * 10) / 10}小时`,
    },
    now,
  );
}

/** A requester's rating of the order their volunteer fulfilled (four or five stars earn the rule's points). */
export function convertRating(
  r: { orderId: string; fulfilledAt: Date | string; openid: string; stars: number; title: string },
  now: Date,
  householdId?: string | null,
): Promise<ClaimDoc | null> {
  return convert(
    {
      source: 'order',
      key: `${r.orderId}:${new Date(r.fulfilledAt).getTime()}`,
      openid: r.openid,
      amount: r.stars,
      note: `完成群众点单“${r.title}”，获${r.stars}星好评`,
    },
    now,
    householdId,
  );
}
