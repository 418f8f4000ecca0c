/**
 * The catalogue, the ledger and the roll of honour: what a household has and why, read by its members
 * and the managers over it; a mistaken entry reversed by a new one; the station's rule adjustments.
 */
import * as z from 'zod/mini';
import type { IntegralApi } from '../../../typings/integral';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { empty } from '../../shared/runtime/validate';
import { checkText } from '../../shared/runtime/content';
import { decideReversal, MANAGERS } from '../../shared/integral/decide';
import { PERIOD, periodsOf, toEntry } from '../../shared/integral/model';
import { adjustRule, catalogue, stationRule, templateRule } from '../../shared/integral/template';
import * as store from '../../shared/integral/store';
import {
  callerOf,
  householdId,
  page,
  paged,
  PAGE_SIZE,
  placeOf,
  readableHousehold,
  reason,
  recordId,
  stationPath,
} from './common';

type A = IntegralApi;

export const rules = action<A['rules']['req'], A['rules']['res']>({
  input: z.strictObject({ stationId: z.optional(recordId) }),
  access: 'anyone',
  async run(ctx, req) {
    const place = await placeOf(ctx, req.stationId);
    return { rules: catalogue(await store.loadOverrides(place.id)) };
  },
});

export const setRule = action<A['setRule']['req'], A['setRule']['res']>({
  input: z.strictObject({
    stationId: recordId,
    ruleId: recordId,
    points: z.optional(z.number().check(z.int())),
    monthlyCap: z.optional(z.nullable(z.number().check(z.int()))),
    enabled: z.optional(z.boolean()),
  }),
  access: { roles: ['stationHead'] },
  target: (req) => stationPath(req.stationId),
  async run(ctx, req) {
    const rule = templateRule(req.ruleId);
    if (!rule) throw new AppError('NOT_FOUND', '没有找到这条积分细则。');
    const current = (await store.loadOverrides(req.stationId)).get(req.ruleId);
    const { stationId: _s, ruleId: _r, ...change } = req;
    const r = adjustRule(rule, current, change);
    if ('refusal' in r) throw new AppError('INVALID_ARGUMENT', r.refusal);
    await store.saveOverride(req.stationId, req.ruleId, r.override, ctx.openid, ctx.now);
    return stationRule(rule, r.override);
  },
});

export const ledger = action<A['ledger']['req'], A['ledger']['res']>({
  input: z.strictObject({ householdId: z.optional(householdId), page }),
  access: 'anyone',
  async run(ctx, req) {
    const h = await readableHousehold(ctx, req.householdId);
    const p = req.page ?? 0;
    const docs = await store.ledgerPage(h.id, p * PAGE_SIZE, PAGE_SIZE + 1);
    const { items, nextPage } = paged(docs, p);
    return { entries: items.map(toEntry), nextPage };
  },
});

export const balance = action<A['balance']['req'], A['balance']['res']>({
  input: z.strictObject({ householdId: z.optional(householdId) }),
  access: 'anyone',
  async run(ctx, req) {
    const h = await readableHousehold(ctx, req.householdId);
    return { householdId: h.id, balance: await store.balanceOf(h.id) };
  },
});

export const reverse = action<A['reverse']['req'], A['reverse']['res']>({
  input: z.strictObject({ entryId: recordId, reason }),
  access: { roles: MANAGERS },
  async target(req) {
    return (await store.findEntry(req.entryId))?.path ?? null;
  },
  async run(ctx, req) {
    const entry = await store.findEntry(req.entryId);
    if (!entry) throw new AppError('NOT_FOUND', '没有找到这条积分记录。');
    await checkText(ctx.openid, [req.reason], 2);
    const posting = store.orThrow(decideReversal(entry, req.reason, await callerOf(ctx), ctx.now));
    return toEntry(await store.post(posting));
  },
});

export const rank = action<A['rank']['req'], A['rank']['res']>({
  input: z.strictObject({
    period: z.optional(z.string().check(z.regex(PERIOD, 'a month (2026-11) or a year (2026)'))),
    orgId: z.optional(recordId),
  }),
  access: 'anyone',
  async run(ctx, req) {
    const place = await placeOf(ctx, req.orgId);
    const period = req.period ?? periodsOf(ctx.now).month;
    const rows = await store.rank(place.id, period, 50);
    return {
      period,
      orgId: place.id,
      rows: rows.map((t) => ({
        householdId: t.householdId,
        headName: t.headName,
        stationId: t.stationId,
        points: t.points,
      })),
    };
  },
});

export const settings = action<A['settings']['req'], A['settings']['res']>({
  input: empty,
  access: 'anyone',
  run: () => store.loadSettings(),
});
