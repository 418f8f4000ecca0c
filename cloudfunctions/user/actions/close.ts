/**
 * 注销: a person closes their account. In this order, each step safe to run again (a retry after a
 * lost answer or a failure part way finishes the job):
 *  1. the roles are given up (the last center admin is refused, by the same count as revokeRole), the
 *     name erased and a pseudonym chosen and kept on the record;
 *  2. orders they hold go back to be taken by another, their wishes nobody has started on are cancelled;
 *  3. the household is left (headship passes to the next member, as when moving village) and the
 *     binding closed; nobody is left waiting on them: their request to join another household is
 *     withdrawn, and a head's waiting requests too (the askers may ask the new head again); the
 *     volunteer registration (pending or not) is withdrawn;
 *  4. their orders, contact log, hours, check-ins, certificates and points records stay for the
 *     county under the pseudonym and 已注销用户; the phone and address they gave on orders are erased;
 *     their messages and subscribe-message grants are removed;
 *  5. the user record goes: opening the mini-program again later starts a new person.
 */
import { randomBytes, createHash } from 'node:crypto';
import type { UserApi } from '../../../typings/api';
import { CLOSED_NAME } from '../../../typings/domain';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { findUser, mutateUser } from '../../shared/user/store';
import { anonymiseBindings, finishClosing, leaveHousehold, removeVolunteer } from '../../shared/user/store-households';
import { giveBack, takeAbove } from '../../shared/runtime/counters';
import { countHolders } from '../../shared/user/store';
import { anonymiseReveals, rewriteOrdersOf } from '../../shared/order/store-records';
import { anonymisedOrder } from '../../shared/order/domain/anonymise';
import { letGo } from '../../shared/order/leave';
import { anonymisePerson } from '../../shared/activity/store';
import { anonymiseClaims } from '../../shared/integral/store';
import { forget } from '../../shared/notify/store';
import { ESSENTIAL_ROLES, essentialCountId } from './roles';

type A = UserApi['close'];

const newPseudonym = (openid: string) =>
  `closed-${createHash('sha256').update(openid).update(randomBytes(16)).digest('hex').slice(0, 24)}`;

export const close = action<A['req'], A['res']>({
  input: z.strictObject({ confirm: z.literal(true) }),
  access: 'self',
  async run(ctx) {
    const before = await findUser(ctx.openid);
    // Nothing under this openid: closed already (a retry whose answer was lost), or never here.
    if (!before) return { closed: true, shownAs: CLOSED_NAME, released: 0, cancelled: 0 };

    // 1. Roles given up, the last holder of an essential role refused (the database keeps the count).
    const essential = (before.roles ?? []).filter((r) => ESSENTIAL_ROLES.includes(r.role));
    const taken: string[] = [];
    for (const r of essential) {
      const id = essentialCountId(r.role, r.orgId);
      if (!(await takeAbove(id, 1, () => countHolders(r.role, r.orgId)))) {
        for (const t of taken) await giveBack(t);
        throw new AppError('FAILED_PRECONDITION', '您是最后一位中心管理员，请先任命另一位，再注销账号。');
      }
      taken.push(id);
    }
    let held = essential.length;
    const user = await mutateUser(ctx.openid, (u) => {
      held = (u.roles ?? []).filter((r) => ESSENTIAL_ROLES.includes(r.role)).length;
      if (u.closing && (u.roles ?? []).length === 0 && u.name === null) return null;
      return {
        roles: [],
        name: null,
        nickname: null,
        closing: u.closing ?? { pseudonym: newPseudonym(ctx.openid), at: ctx.now },
      };
    });
    // A concurrent twin gave the roles up first: its take stands, this one goes back.
    if (held === 0) for (const t of taken) await giveBack(t);
    const pseudonym = user.closing!.pseudonym;

    // 2. What they hold or asked for and nobody has started on.
    const { released, cancelled } = await letGo({ openid: ctx.openid, name: before.name ?? CLOSED_NAME }, ctx.now);

    // 3. Household, binding, volunteer registration.
    await leaveHousehold(ctx.openid, ctx.now);
    await removeVolunteer(ctx.openid);

    // 4. The county's records under the pseudonym.
    const who = { openid: pseudonym, name: CLOSED_NAME };
    await rewriteOrdersOf(ctx.openid, (o) => anonymisedOrder(o, ctx.openid, pseudonym, before.name));
    await anonymiseReveals(ctx.openid, who);
    await anonymisePerson(ctx.openid, who);
    await anonymiseClaims(ctx.openid, who);
    await anonymiseBindings(ctx.openid, pseudonym);
    await forget(ctx.openid);

    // 5. The record under the openid goes.
    await finishClosing(ctx.openid, pseudonym, ctx.now);
    return { closed: true, shownAs: CLOSED_NAME, released, cancelled };
  },
});
