/**
 * The catalogue, the ledger and the roll of honour: what a household has and why, read by its members
 * and the managers over it; a mistaken entry reversed by a new one; the station's rule adjustments.
 */
import * as z from 'zod/mini';
import {
  INTEGRAL_DEFAULTS,
  INTEGRAL_SETTING_BOUNDS,
  type IntegralApi,
  type IntegralSettings,
} from '../../../typings/integral';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { empty } from '../../shared/runtime/validate';
import { checkText } from '../../shared/runtime/content';
import { DISPATCHER_ROLES } from '../../../typings/domain';
import { decideReversal } from '../../shared/integral/domain/decide';
import { PERIOD, periodsOf, toEntry } from '../../shared/integral/domain/model';
import { adjustRule, catalogue, stationRule, templateRule } from '../../shared/integral/domain/template';
import * as store from '../../shared/integral/store';
import {
  entryAction,
  householdAction,
  householdId,
  managersAt,
  page,
  paged,
  PAGE_SIZE,
  placeOf,
  reason,
  recordId,
} from './common';

type A = IntegralApi;

export const rules = action<A['rules']['req'], A['rules']['res']>({
  input: z.strictObject({ stationId: z.optional(recordId) }),
  access: managersAt(),
  async run(ctx, _req, scope) {
    const place = await placeOf(ctx, scope);
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
  access: { roles: ['stationHead'], at: (req) => req.stationId },
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

export const ledger = householdAction<A['ledger']['req'], A['ledger']['res']>({
  input: z.strictObject({ householdId: z.optional(householdId), page }),
  as: ['member', 'manager'],
  async run(_ctx, req, { doc: h }) {
    const p = req.page ?? 0;
    const docs = await store.ledgerPage(h.id, p * PAGE_SIZE, PAGE_SIZE + 1);
    const { items, nextPage } = paged(docs, p);
    return { entries: items.map(toEntry), nextPage };
  },
});

export const balance = householdAction<A['balance']['req'], A['balance']['res']>({
  input: z.strictObject({ householdId: z.optional(householdId) }),
  as: ['member', 'manager'],
  async run(_ctx, _req, { doc: h }) {
    return { householdId: h.id, balance: await store.balanceOf(h.id) };
  },
});

export const reverse = entryAction<A['reverse']['req'], A['reverse']['res']>({
  input: z.strictObject({ entryId: recordId, reason }),
  as: ['manager'],
  async run(ctx, req, { doc: entry, caller }) {
    await checkText(ctx.openid, [req.reason], 2);
    const posting = store.orThrow(decideReversal(entry, req.reason, caller, ctx.now));
    return toEntry(await store.post(posting));
  },
});

export const rank = action<A['rank']['req'], A['rank']['res']>({
  input: z.strictObject({
    period: z.optional(z.string().check(z.regex(PERIOD, 'a month (2026-11) or a year (2026)'))),
    orgId: z.optional(recordId),
  }),
  // Public within the village; the institute and the center see theirs.
  access: {
    roles: DISPATCHER_ROLES,
    at: (req) => req.orgId,
    only: (req) => req.orgId !== undefined,
    forbidden: '只能查看本村或本站范围内的红榜。',
  },
  async run(ctx, req, scope) {
    const place = await placeOf(ctx, scope);
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
  access: 'public',
  run: () => store.loadSettings(),
});

const bounded = (k: keyof IntegralSettings) =>
  z.int().check(z.gte(INTEGRAL_SETTING_BOUNDS[k].min), z.lte(INTEGRAL_SETTING_BOUNDS[k].max));

export const setSettings = action<A['setSettings']['req'], A['setSettings']['res']>({
  input: z.strictObject({
    settings: z.strictObject({
      noticeDays: bounded('noticeDays'),
      secondApprovalAbove: bounded('secondApprovalAbove'),
      burstLimit: bounded('burstLimit'),
      burstWindowMin: bounded('burstWindowMin'),
      pickupDays: bounded('pickupDays'),
    }),
  }),
  access: { roles: ['centerAdmin'], at: 'center' },
  async run(ctx, req) {
    await store.saveSettings(req.settings, ctx.openid, ctx.now);
    // Replaced whole: answered as a read would answer it (the defaults under what was written).
    return { ...INTEGRAL_DEFAULTS, ...req.settings };
  },
});
