/**
 * Points on their way to the ledger: a villager claims (or recommends a neighbour), the station head
 * reviews or awards, the village sees it on the notice board and may object. Each action loads, asks
 * ./decide, and applies the answer through the store in one transaction.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { IntegralApi } from '../../../typings/integral';
import { action, type ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import { startPhotoChecks } from '../../shared/order/photos';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import {
  decideAward,
  decideClaim,
  decideObjection,
  decideReview,
  decideSettlement,
  manages,
  type Caller,
} from '../../shared/integral/domain/decide';
import { toClaim, type ClaimDoc, type HouseholdRef } from '../../shared/integral/domain/model';
import { catalogue } from '../../shared/integral/domain/template';
import * as store from '../../shared/integral/store';
import {
  callerOf,
  claimAction,
  householdAction,
  householdId,
  mustHousehold,
  note,
  page,
  paged,
  PAGE_SIZE,
  photos,
  managersAt,
  placeOf,
  reason,
  recordId,
  requestId,
} from './common';

type A = IntegralApi;

const idOf = (requestKey: string) => createHash('sha256').update(requestKey).digest('hex').slice(0, 32);

async function ruleAt(stationId: string, ruleId: string) {
  const rule = catalogue(await store.loadOverrides(stationId)).find((r) => r.id === ruleId);
  if (!rule) throw new AppError('NOT_FOUND', '没有找到这条积分细则。');
  return rule;
}

/**
 * The record's id from the caller and their request: a retry finds the first and answers it. `extra`
 * is what the decision needs beyond the record (the award's settings), read in the same round trip.
 */
async function makeRecord<S>(
  ctx: ActionContext,
  req: { ruleId: string; note: string; photos?: string[]; requestId: string },
  household: HouseholdRef,
  decide: (r: Parameters<typeof decideClaim>[0], extra: S) => ReturnType<typeof decideClaim>,
  source: ClaimDoc['source'],
  extra: () => Promise<S>,
) {
  const requestKey = `${ctx.openid}:${req.requestId}`;
  const id = idOf(requestKey);
  // One round trip: a retry's record, the caller (already read for access), the rule and the text check
  // together; a retry answers its record whatever the rest found.
  const [done, caller, rule, textRefused, extras] = await Promise.all([
    store.findClaim(id),
    callerOf(ctx),
    ruleAt(household.stationId, req.ruleId).catch((e: unknown) => e as Error),
    checkText(ctx.openid, [req.note], 2).then(
      () => null,
      (e: unknown) => e,
    ),
    extra(),
  ]);
  if (done) return { id, status: done.status };
  if (rule instanceof Error) throw rule;
  if (textRefused) throw textRefused;
  const photoDocs = await startPhotoChecks(req.photos ?? [], ctx.openid, 2);
  const doc = store.orThrow(
    decide(
      { id, requestKey, source, rule, household, note: req.note, photos: photoDocs, caller, now: ctx.now },
      extras,
    ),
  );
  const saved = await store.insertClaim(doc);
  return { id: saved._id ?? id, status: saved.status };
}

export const claim = action<A['claim']['req'], A['claim']['res']>({
  input: z.strictObject({ ruleId: recordId, note, photos, householdId: z.optional(householdId), requestId }),
  // Their own household's, or a neighbour's they recommend: whether the neighbour is of their village
  // is the decision's (decideClaim), as it is part of what a claim is.
  access: 'self',
  async run(ctx, req) {
    const caller = await ctx.caller();
    const hid = req.householdId ?? caller.householdId;
    if (!hid) throw new AppError('FAILED_PRECONDITION', '请先在“我的”里绑定您家的户号，再来申报。');
    const household = await mustHousehold(hid, caller.stationId);
    const source = hid === caller.householdId ? 'self' : 'recommend';
    return makeRecord(ctx, req, household, decideClaim, source, async () => undefined);
  },
});

export const award = householdAction<A['award']['req'], A['award']['res']>({
  input: z.strictObject({ householdId, ruleId: recordId, note, photos, requestId }),
  as: ['manager'],
  async run(ctx, req, { doc: household }) {
    // The settings are read with the rule and the retry's record (one round trip).
    return makeRecord(ctx, req, household, decideAward, 'award', store.loadSettings);
  },
});

/** Reviewers see every photo; the household sees its own; the board only checked ones. */
const seesAll = (c: ClaimDoc, caller: Caller) =>
  manages(caller, c.path) || c.householdId === caller.householdId || c.by.openid === caller.openid;

const show = (docs: ClaimDoc[], caller: Caller) => docs.map((d) => toClaim(d, seesAll(d, caller)));

export const claims = action<A['claims']['req'], A['claims']['res']>({
  input: z.strictObject({
    scope: z.enum(['mine', 'queue', 'second', 'flagged']),
    stationId: z.optional(recordId),
    page,
  }),
  // The household's own to anyone; the queues to station heads and above, in their scope.
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.stationId,
    only: (req) => req.scope !== 'mine',
    forbidden: '只有站长和上级管理员能看审核队列。',
  },
  async run(ctx, req, scope) {
    const caller = await callerOf(ctx);
    const p = req.page ?? 0;
    let where: Record<string, unknown>;
    if (req.scope === 'mine') {
      if (!caller.householdId) return { claims: [], nextPage: null };
      where = { householdId: caller.householdId };
    } else {
      where =
        req.scope === 'flagged'
          ? { path: scope.orgId, flagged: true }
          : { path: scope.orgId, status: req.scope === 'queue' ? 'pending' : 'second' };
    }
    const docs = await store.listClaims({ where, skip: p * PAGE_SIZE, limit: PAGE_SIZE + 1 });
    const { items, nextPage } = paged(docs, p);
    return { claims: show(items, caller), nextPage };
  },
});

export const review = claimAction<A['review']['req'], A['review']['res']>({
  input: z.strictObject({ id: recordId, approve: z.boolean(), reason: z.optional(reason) }),
  // Which managers may decide at which stage (the institute's second approval) is the decision's.
  as: ['manager'],
  async run(ctx, req, { caller }) {
    const settings = await store.loadSettings();
    if (req.reason) await checkText(ctx.openid, [req.reason], 2);
    const since = new Date(ctx.now.getTime() - settings.burstWindowMin * 60_000);
    const recentApprovals = await store.approvalsSince(ctx.openid, since);
    const next = await store.changeClaim(req.id, (c) =>
      decideReview(c, req, caller, { settings, now: ctx.now, recentApprovals }),
    );
    return toClaim(next, true);
  },
});

export const notices = action<A['notices']['req'], A['notices']['res']>({
  input: z.strictObject({ stationId: z.optional(recordId), page }),
  // The village's own board to its villagers; another station's to the managers over it.
  access: managersAt(),
  async run(ctx, req, scope) {
    const caller = await callerOf(ctx);
    const place = await placeOf(ctx, scope);
    const p = req.page ?? 0;
    const docs = await store.listClaims({
      where: { path: place.id, status: store.inStatus(['notice', 'cancelled']) },
      skip: p * PAGE_SIZE,
      limit: PAGE_SIZE + 1,
    });
    const { items, nextPage } = paged(docs, p);
    return { claims: show(items, caller), nextPage };
  },
});

export const object = claimAction<A['object']['req'], A['object']['res']>({
  input: z.strictObject({ id: recordId, reason }),
  as: ['villager'],
  forbidden: '只有本村村民可以提出异议。',
  async run(ctx, req, { caller }) {
    await checkText(ctx.openid, [req.reason], 2);
    const next = await store.changeClaim(req.id, (cur) => decideObjection(cur, req.reason, caller, ctx.now));
    return toClaim(next, seesAll(next, caller));
  },
});

export const settleObjection = claimAction<A['settleObjection']['req'], A['settleObjection']['res']>({
  input: z.strictObject({ id: recordId, uphold: z.boolean(), reason }),
  as: ['manager'],
  async run(ctx, req, { caller }) {
    await checkText(ctx.openid, [req.reason], 2);
    const next = await store.changeClaim(req.id, (c) => decideSettlement(c, req, caller, ctx.now));
    return toClaim(next, true);
  },
});
