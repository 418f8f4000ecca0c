/**
 * 个人信息查阅: what the project holds about the caller — profile, household (the others' names
 * masked), roles, volunteer registration (their own phone in full), the orders they asked for and held,
 * their service hours, the points records they made and their household's balance, and who was shown
 * their phone and address (the reveals log). Each list a page at a time.
 */
import type { MyData, MyDataList, UserApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import * as z from 'zod/mini';
import { page } from '../../shared/org/schemas';
import { getOrgs } from '../../shared/org/store';
import { findHousehold, findUser, findVolunteer } from '../../shared/user/store';
import { toVolunteer } from '../../shared/user/domain/model';
import { maskName } from '../../shared/order/domain/model';
import { countOrdersOfPerson, ordersOfPerson, revealsOfRequester } from '../../shared/order/store-records';
import { hoursOf } from '../../shared/activity/store-hours';
import { balanceOf, claimsBy } from '../../shared/integral/store';
import { HELD, UNSTARTED } from '../../shared/order/leave';

type A = UserApi['myData'];

export const MY_DATA_PAGE = 20;
const LISTS = ['requested', 'assigned', 'hours', 'points', 'reveals'] as const satisfies readonly MyDataList[];

const iso = (d: Date | string) => new Date(d).toISOString();

/** One page of one list, with one more read to know whether a next page exists. */
async function listPage(
  list: MyDataList,
  openid: string,
  p: number,
): Promise<NonNullable<MyData['lists'][MyDataList]>> {
  const skip = p * MY_DATA_PAGE;
  const n = MY_DATA_PAGE + 1;
  const paged = <T>(items: T[]) => ({
    items: items.slice(0, MY_DATA_PAGE),
    nextPage: items.length > MY_DATA_PAGE ? p + 1 : null,
  });
  switch (list) {
    case 'requested':
    case 'assigned':
      return paged(
        (await ordersOfPerson(list === 'requested' ? 'requester' : 'assignee', openid, skip, n)).map((o) => ({
          id: o._id,
          title: o.title,
          status: o.status,
          stationName: o.stationName,
          createdAt: iso(o.createdAt),
        })),
      );
    case 'hours':
      return paged(
        (await hoursOf(openid, skip, n)).map((h) => ({
          title: h.title,
          minutes: h.minutes,
          kind: h.kind,
          at: iso(h.at),
        })),
      );
    case 'points':
      return paged(
        (await claimsBy(openid, skip, n)).map((c) => ({
          ruleName: c.ruleName,
          points: c.points,
          status: c.status,
          at: iso(c.createdAt),
        })),
      );
    case 'reveals':
      return paged(
        (await revealsOfRequester(openid, skip, n)).map((r) => ({
          orderTitle: r.orderTitle,
          volunteerName: r.volunteer.name,
          firstAt: iso(r.firstAt),
          lastAt: iso(r.lastAt),
          times: r.times,
        })),
      );
  }
}

async function about(openid: string): Promise<MyData['about']> {
  const user = await findUser(openid);
  const roles = user?.roles ?? [];
  // Everything else in one round trip: the household and its balance by the id on the user record.
  const [household, balance, volunteer, activeRequested, activeAssigned, names] = await Promise.all([
    user?.householdId ? findHousehold(user.householdId) : Promise.resolve(undefined),
    user?.householdId ? balanceOf(user.householdId) : Promise.resolve(0),
    findVolunteer(openid),
    countOrdersOfPerson('requester', openid, UNSTARTED),
    countOrdersOfPerson('assignee', openid, HELD),
    getOrgs([...new Set([...roles.map((r) => r.orgId), ...(user?.stationId ? [user.stationId] : [])])]),
  ]);
  const nameOf = (id: string) => names.get(id)?.name ?? id;
  return {
    openid,
    name: user?.name ?? null,
    nickname: user?.nickname ?? null,
    createdAt: iso(user?.createdAt ?? new Date(0)),
    station: user?.stationId ? { id: user.stationId, name: nameOf(user.stationId) } : null,
    roles: roles.map((r) => ({ role: r.role, orgId: r.orgId, orgName: nameOf(r.orgId) })),
    household: household
      ? {
          id: household._id,
          isHead: household.headOpenid === openid,
          members: household.members.map((m) => ({
            // Their own name in full; the others' masked: this is what is held about the caller.
            name: m.openid === openid ? m.name : (maskName(m.name) ?? ''),
            isHead: m.openid === household.headOpenid,
            isMe: m.openid === openid,
          })),
          balance,
        }
      : null,
    volunteer: volunteer ? toVolunteer(volunteer, true) : null,
    activeRequested,
    activeAssigned,
  };
}

export const myData = action<A['req'], A['res']>({
  input: z.strictObject({ list: z.optional(z.enum(LISTS)), page }),
  access: 'self',
  async run(ctx, req) {
    if (req.list) return { lists: { [req.list]: await listPage(req.list, ctx.openid, req.page ?? 0) } };
    const [info, ...pages] = await Promise.all([about(ctx.openid), ...LISTS.map((l) => listPage(l, ctx.openid, 0))]);
    return { about: info, lists: Object.fromEntries(LISTS.map((l, i) => [l, pages[i]])) };
  },
});
