/**
 * Points earned elsewhere: confirmed volunteer hours (check-in) and well-rated order fulfilments turn
 * into a record of the household's under the station's conversion rule. The hours or the rating were
 * confirmed where they happened, so the record skips review and goes straight onto the public notice,
 * like everything else that reaches the ledger; its key (`hours:<session>`, `order:<order id>`) makes a
 * repeated conversion one record. Pure: the capability that confirms the hours calls it, then
 * `store.insertClaim`.
 */
import type { IntegralRule, IntegralSettings } from '../../../../typings/integral';
import { periodsOf, type ClaimDoc, type HouseholdRef } from './model';
import { pointsForHours, pointsForRating, type Refusal } from './decide';

export interface Conversion {
  id: string;
  source: 'hours' | 'order';
  /** Hours served, or the stars of the rating. */
  amount: number;
  /** The session or order it comes from: one record per source key. */
  sourceKey: string;
  rule: IntegralRule;
  household: HouseholdRef;
  note: string;
  now: Date;
}

/** The record a conversion makes, or null when it earns nothing (under an hour, a poor rating). */
export function decideConversion(c: Conversion, settings: IntegralSettings): ClaimDoc | Refusal | null {
  if (!c.rule.enabled) return { refused: 'FAILED_PRECONDITION', message: '本站没有启用这条折算细则。' };
  const points = c.source === 'hours' ? pointsForHours(c.amount, c.rule) : pointsForRating(c.amount, c.rule);
  if (points <= 0) return null;
  const review = { by: 'system', byName: '系统折算', approve: true, reason: null, at: c.now };
  return {
    _id: c.id,
    requestKey: `${c.source}:${c.sourceKey}`,
    source: c.source,
    status: 'notice',
    householdId: c.household.id,
    householdName: c.household.headName,
    stationId: c.household.stationId,
    path: c.household.path,
    ruleId: c.rule.id,
    ruleName: c.rule.name,
    group: c.rule.group,
    points,
    monthlyCap: c.rule.monthlyCap,
    month: periodsOf(c.now).month,
    note: c.note,
    photos: [],
    by: { openid: 'system', name: '系统折算', householdId: null },
    reviews: [review],
    reviewedBy: null,
    reviewedAt: null,
    noticeEndsAt: new Date(c.now.getTime() + settings.noticeDays * 86_400_000),
    objections: [],
    openObjections: 0,
    flagged: false,
    entryId: null,
    createdAt: c.now,
    updatedAt: c.now,
  };
}
