/**
 * A villager binds to their village (station) and household (户). Moving village closes the earlier
 * binding and keeps it as history; leaving a household hands headship to the next member. All of it
 * in one transaction, so a binding is never half made.
 */
import type { UserApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { checkText } from '../../shared/runtime/content';
import { withTransaction } from '../../shared/runtime/transaction';
import { isDuplicateKey } from '../../shared/runtime/sdk';
import { spendToday } from '../../shared/runtime/counters';
import * as z from 'zod/mini';
import { id } from '../../shared/runtime/validate';
import { pathOf } from '../../shared/org/domain/model';
import { getOrg } from '../../shared/org/store';
import { orgId } from '../../shared/org/schemas';
import { ensureUser, findHousehold } from '../../shared/user/store';
import {
  roleFields,
  withRoles,
  type BindingDoc,
  type HouseholdDoc,
  type UserDoc,
} from '../../shared/user/domain/model';
import { randomBytes } from 'node:crypto';
import { describeMe } from './me';

type A = UserApi['bind'];

/**
 * A household's number (户号): eight digits, easy to read out and type on an old phone, and with failed
 * tries limited per day (JOIN_TRIES_PER_DAY), far too many to guess one.
 */
export function newHouseholdNumber(): string {
  return String(10_000_000 + (randomBytes(4).readUInt32BE(0) % 90_000_000));
}

/** Tries of a household number that does not exist, per person per Shanghai day. */
export const JOIN_TRIES_PER_DAY = 5;

/** A new household's number may already be taken: the whole binding is tried again with another. */
async function retryOnDuplicate<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i += 1) {
    try {
      return await attempt();
    } catch (e) {
      if (!isDuplicateKey(e) || i >= 4) throw e;
    }
  }
}

export const personName = z
  .string()
  .check(z.trim(), z.minLength(2), z.maxLength(20), z.regex(/^[\u4e00-\u9fa5A-Za-z·• ]+$/, 'a name'));

export const bind = action<A['req'], A['res']>({
  input: z.strictObject({ stationId: orgId, householdId: z.optional(id), name: personName }),
  access: 'self',
  async run(ctx, req) {
    const station = await getOrg(req.stationId);
    if (!station || station.level !== 'station') throw new AppError('NOT_FOUND', '没有找到这个村（社区）。');
    await checkText(ctx.openid, [req.name], 1);
    const { user: current } = await ensureUser(ctx.openid, ctx.now);
    if (req.householdId && req.householdId !== current.householdId) {
      // A number that leads nowhere costs one of today's few tries: household numbers cannot be guessed.
      const h = await findHousehold(req.householdId);
      if (!h || h.stationId !== station._id) {
        if (!(await spendToday('join-tries', ctx.openid, JOIN_TRIES_PER_DAY, ctx.now))) {
          throw new AppError('RATE_LIMITED', '今天户号填错的次数太多了，请向户主核对户号，明天再试。');
        }
        throw new AppError('NOT_FOUND', '这个村里没有找到这一户，请核对户号。');
      }
    }
    const stationPath = pathOf(station);

    const user = await retryOnDuplicate(() =>
      withTransaction(async (tx) => {
        const u = await tx.get<UserDoc>('users', ctx.openid);
        if (!u) throw new AppError('INTERNAL');
        const sameStation = u.stationId === station._id;
        const wantsSameHousehold = !req.householdId || req.householdId === u.householdId;
        if (sameStation && wantsSameHousehold && u.name === req.name) return u; // a retry, or nothing to change

        let householdId = u.householdId;
        let bindingId = u.bindingId ?? null;
        if (!(sameStation && wantsSameHousehold)) {
          // Leave the household they were in.
          if (u.householdId) {
            const old = await tx.get<HouseholdDoc>('households', u.householdId);
            if (old) {
              const members = old.members.filter((m) => m.openid !== ctx.openid);
              const head =
                old.headOpenid === ctx.openid ? members[0] : old.members.find((m) => m.openid === old.headOpenid);
              await tx.update('households', old._id, {
                members,
                headOpenid: head?.openid ?? '',
                headName: head?.name ?? '',
                updatedAt: ctx.now,
              });
            }
          }
          // Join the one asked for, or start a new one with the caller at its head.
          if (req.householdId) {
            const h = await tx.get<HouseholdDoc>('households', req.householdId);
            if (!h || h.stationId !== station._id)
              throw new AppError('NOT_FOUND', '这个村里没有找到这一户，请核对户号。');
            await tx.update('households', h._id, {
              members: [...h.members.filter((m) => m.openid !== ctx.openid), { openid: ctx.openid, name: req.name }],
              updatedAt: ctx.now,
            });
            householdId = h._id;
          } else {
            householdId = newHouseholdNumber();
            await tx.add('households', {
              _id: householdId,
              stationId: station._id,
              headOpenid: ctx.openid,
              headName: req.name,
              members: [{ openid: ctx.openid, name: req.name }],
              createdAt: ctx.now,
              updatedAt: ctx.now,
            } satisfies HouseholdDoc);
          }
          // Close the earlier binding and open this one: moving village leaves history intact.
          if (u.bindingId) await tx.update('bindings', u.bindingId, { to: ctx.now });
          bindingId = `${ctx.openid}-${randomBytes(6).toString('hex')}`;
          await tx.add('bindings', {
            _id: bindingId,
            openid: ctx.openid,
            stationId: station._id,
            householdId: householdId ?? '',
            from: ctx.now,
            to: null,
          } satisfies BindingDoc);
        } else if (u.householdId) {
          // Same household, new name: keep the member list in step.
          const h = await tx.get<HouseholdDoc>('households', u.householdId);
          if (h) {
            await tx.update('households', h._id, {
              members: h.members.map((m) => (m.openid === ctx.openid ? { ...m, name: req.name } : m)),
              ...(h.headOpenid === ctx.openid ? { headName: req.name } : {}),
              updatedAt: ctx.now,
            });
          }
        }
        const roles = withRoles(u.roles ?? [], 'villager', [
          { role: 'villager', orgId: station._id, path: stationPath },
        ]);
        const fields = {
          name: req.name,
          stationId: station._id,
          householdId,
          bindingId,
          ...roleFields(roles),
          rev: (u.rev ?? 0) + 1,
        };
        await tx.update('users', ctx.openid, fields);
        return { ...u, ...fields };
      }),
    );
    return describeMe(user);
  },
});
