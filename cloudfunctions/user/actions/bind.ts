/**
 * A villager binds to their village (station) and household (户). Moving village closes the earlier
 * binding and keeps it as history; leaving a household hands headship to the next member. All of it
 * in one transaction (the user store's bindUser), so a binding is never half made.
 */
import type { UserApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import { spendToday } from '../../shared/runtime/counters';
import * as z from 'zod/mini';
import { cleanText, id } from '../../shared/runtime/validate';
import { pathOf } from '../../shared/org/domain/model';
import { getOrg, getOrgs } from '../../shared/org/store';
import { orgId } from '../../shared/org/schemas';
import { joinRefusal, newUser, type UserDoc } from '../../shared/user/domain/model';
import { addUser, findHousehold, findUser, findVolunteer } from '../../shared/user/store';
import { answerJoin as answerHousehold, bindUser, requestJoin } from '../../shared/user/store-households';
import { describeMe, presentMe, readMe } from './me';

type A = UserApi['bind'];

/** Tries of a household number that does not exist, per person per Shanghai day. */
export const JOIN_TRIES_PER_DAY = 5;

export const personName = z
  .string()
  .check(...cleanText, z.minLength(2), z.maxLength(20), z.regex(/^[\u4e00-\u9fa5A-Za-z·• ]+$/, 'a name'));

export const bind = action<A['req'], A['res']>({
  input: z.strictObject({ stationId: orgId, householdId: z.optional(id), name: personName }),
  access: 'self',
  async run(ctx, req) {
    // One round trip of reads: the station, the caller, the household asked for (if any), the volunteer
    // record (for the answer), with the text check beside them; their verdicts in the order of old.
    const text = checkText(ctx.openid, [req.name], 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    const [station, found, named, volunteer] = await Promise.all([
      getOrg(req.stationId),
      findUser(ctx.openid),
      req.householdId ? findHousehold(req.householdId) : Promise.resolve(undefined),
      findVolunteer(ctx.openid),
    ]);
    if (!station || station.level !== 'station' || station.retired)
      throw new AppError('NOT_FOUND', '没有找到这个村（社区）。');
    const refused = await text;
    if (refused) throw refused;
    // Someone never seen before is recorded only once the request has passed its checks (below).
    const current = found ?? newUser(ctx.openid, ctx.now);
    const asks = req.householdId && req.householdId !== current.householdId ? req.householdId : null;
    if (asks) {
      // A number that leads nowhere costs one of today's few tries: household numbers cannot be guessed.
      const h = named;
      if (!h || h.stationId !== station._id) {
        if (!(await spendToday('join-tries', ctx.openid, JOIN_TRIES_PER_DAY, ctx.now))) {
          throw new AppError('RATE_LIMITED', '今天户号填错的次数太多了，请向户主核对户号，明天再试。');
        }
        throw new AppError('NOT_FOUND', '这个村里没有找到这一户，请核对户号。');
      }
      // Checked before anything is bound (and again when the request is stored).
      const why = joinRefusal(h, ctx.openid, 'ask');
      if (why && !h.members.some((m) => m.openid === ctx.openid)) throw new AppError('FAILED_PRECONDITION', why);
    }
    // The names of the station's path, for the answer: read before the binding, so nothing is read after.
    const orgs = await getOrgs(station.ancestors);
    orgs.set(station._id, station);
    if (!found) await addUser(ctx.openid, ctx.now);
    // Bound to the village (heading a household of their own until a head agrees); another household is
    // only asked to join: its head agrees on their 我的 page (answerJoin).
    const bound = await bindUser(ctx.openid, { id: station._id, path: pathOf(station) }, { name: req.name }, ctx.now);
    const households = new Map(bound.household ? [[bound.household._id, bound.household]] : []);
    let user = bound.user;
    if (asks) {
      const joined = await requestJoin(ctx.openid, asks, ctx.now);
      user = joined.user;
      households.set(joined.household._id, joined.household);
    }
    return describeMe(user, false, { orgs, volunteer, households });
  },
});

const sameBinding = (a: UserDoc, b: UserDoc) =>
  a.stationId === b.stationId && a.householdId === b.householdId && (a.joinRequest ?? null) === (b.joinRequest ?? null);

/** The head of a household agrees to a request to join it, or declines it. */
export const answerJoin = action<UserApi['answerJoin']['req'], UserApi['answerJoin']['res']>({
  input: z.strictObject({ openid: id, approve: z.boolean() }),
  // The caller's own household: the store checks they are its head.
  access: 'self',
  async run(ctx, req) {
    // What the answer shows of the head is read before the change (two round trips), the household
    // they answered for taken as the transaction wrote it: nothing is read after.
    const [found, volunteer] = await Promise.all([findUser(ctx.openid), findVolunteer(ctx.openid)]);
    const seen = found && (await readMe(found, { volunteer }));
    const { head, household } = await answerHousehold(ctx.openid, req.openid, req.approve, ctx.now);
    // The head moved meanwhile (or had no record): what is shown is read as it now stands.
    if (!seen || !sameBinding(found, head))
      return describeMe(head, false, { households: new Map([[household._id, household]]) });
    seen.households.set(household._id, household);
    return presentMe(head, false, seen);
  },
});
