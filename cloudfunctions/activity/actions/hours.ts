/**
 * Service hours: the caller's totals (recorded and honour apart, by month and category) with their
 * star level; a station's or institute's totals; honour hours an organiser adds with a reason; and
 * corrections — always a new record with who and why, never an edit.
 */
import { randomBytes } from 'node:crypto';
import { ACTIVITY_LIMITS, type ActivityApi } from '../../../typings/activity';
import { ID_PATTERN } from '../../../typings/time';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { text } from '../../shared/runtime/validate';
import { orgId, page } from '../../shared/org/schemas';
import { pathOf } from '../../shared/org/domain/model';
import { getOrg } from '../../shared/org/store';
import { findVolunteer } from '../../shared/user/store';
import { starsOf, totalsOf } from '../../shared/activity/domain/hours';
import { toHoursRecord, type HoursDoc } from '../../shared/activity/domain/model';
import * as store from '../../shared/activity/store';
import * as hoursStore from '../../shared/activity/store-hours';
import { hoursAction, isoTime, ORGANISERS, PAGE, requestId } from './common';

type A = ActivityApi;
/** One honour record or correction is at most 100 hours: a typo of a zero too many is refused. */
const MAX_RECORD_MIN = 6000;
const MAX_RECORDS = 3000;

export const hours = action<A['hours']['req'], A['hours']['res']>({
  input: z.strictObject({ page }),
  access: 'self',
  async run(ctx, req) {
    const p = req.page ?? 0;
    const [all, settings] = await Promise.all([
      hoursStore.allHoursOf(ctx.openid, MAX_RECORDS),
      store.loadSettings(ctx.now.getTime()),
    ]);
    const totals = totalsOf(all, settings.hourUnitMin);
    return {
      ...totals,
      stars: starsOf(totals.recordedMinutes + totals.honourMinutes),
      records: all.slice(p * PAGE, p * PAGE + PAGE).map(toHoursRecord),
      nextPage: all.length > (p + 1) * PAGE ? p + 1 : null,
    };
  },
});

export const totals = action<A['totals']['req'], A['totals']['res']>({
  input: z.strictObject({ orgId }),
  access: { roles: ORGANISERS, at: (req) => req.orgId },
  run: (_ctx, req) => hoursStore.totalsUnder(req.orgId),
});

export const addHonour = action<A['addHonour']['req'], A['addHonour']['res']>({
  input: z.strictObject({
    openid: z.string().check(z.regex(ID_PATTERN, 'an openid')),
    orgId,
    minutes: z.int().check(z.gte(1), z.lte(MAX_RECORD_MIN)),
    reason: text(ACTIVITY_LIMITS.reasonMax),
    title: text(ACTIVITY_LIMITS.titleMax),
    at: z.optional(isoTime),
    requestId,
  }),
  // Organisers in scope of the station (or institute) the service was for.
  access: { roles: ORGANISERS, at: (req) => req.orgId },
  async run(ctx, req) {
    const [org, volunteer] = await Promise.all([getOrg(req.orgId), findVolunteer(req.openid)]);
    if (!org) throw new AppError('NOT_FOUND');
    if (!volunteer || volunteer.status !== 'active' || !volunteer.areas.includes(org._id))
      throw new AppError('FAILED_PRECONDITION', '这位志愿者不在这里服务，不能给他（她）加时长。');
    const at = req.at ? new Date(req.at) : ctx.now;
    if (at.getTime() > ctx.now.getTime())
      throw new AppError('INVALID_ARGUMENT', '服务时间不能在将来。', ['at: in the future']);
    const doc: HoursDoc = {
      _id: randomBytes(12).toString('hex'),
      requestKey: `${ctx.openid}:${req.requestId}`,
      openid: req.openid,
      kind: 'honour',
      source: 'honour',
      minutes: req.minutes,
      title: req.title,
      category: null,
      placeName: org.name,
      path: pathOf(org),
      at,
      activityId: null,
      reason: req.reason,
      by: ctx.openid,
      correctsId: null,
      createdAt: ctx.now,
    };
    return toHoursRecord(await hoursStore.insertHours(doc));
  },
});

export const correct = hoursAction<A['correct']['req'], A['correct']['res']>({
  input: z.strictObject({
    recordId: z.string().check(z.regex(/^[A-Za-z0-9:_-]{1,140}$/, 'a record id')),
    minutes: z.int().check(
      z.gte(-MAX_RECORD_MIN),
      z.lte(MAX_RECORD_MIN),
      z.refine((n) => n !== 0, 'not zero'),
    ),
    reason: text(ACTIVITY_LIMITS.reasonMax),
    requestId,
  }),
  as: ['organiser'],
  async run(ctx, req, { record: h }) {
    if (h.source === 'correction') throw new AppError('FAILED_PRECONDITION', '请更正原来那条记录，不要更正“更正”。');
    const doc: HoursDoc = {
      ...h,
      _id: randomBytes(12).toString('hex'),
      requestKey: `${ctx.openid}:${req.requestId}`,
      source: 'correction',
      minutes: req.minutes,
      reason: req.reason,
      by: ctx.openid,
      correctsId: h._id,
      createdAt: ctx.now,
    };
    return toHoursRecord(await hoursStore.insertHours(doc));
  },
});
