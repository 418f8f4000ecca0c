/**
 * An order once a person closed their account: it stays for the county's records, with the person
 * replaced by a pseudonym and 已注销用户 wherever they appear (requester, assignee, timeline, passed
 * over), and the contact they gave erased. Pure; the same answer however often it is applied.
 */
import { CLOSED_NAME } from '../../../../typings/domain';
import type { OrderDoc } from './model';

export function anonymisedOrder(
  o: OrderDoc,
  openid: string,
  pseudonym: string,
  name: string | null,
): Pick<OrderDoc, 'requestKey' | 'requester' | 'assignee' | 'events' | 'passedOver' | 'contact'> | null {
  const asked = o.requester.openid === openid;
  const held = o.assignee?.openid === openid;
  const inEvents = o.events.some((e) => e.by === openid);
  const passed = o.passedOver.includes(openid);
  if (!asked && !held && !inEvents && !passed) return null;
  // On their orders, their name also shows in others' notes (派给钱多多).
  const unnamed = (note: string | undefined) => (name && note ? note.split(name).join(CLOSED_NAME) : note);
  return {
    // The idempotency key starts with the poster's openid.
    requestKey: o.requestKey.startsWith(`${openid}:`)
      ? `${pseudonym}${o.requestKey.slice(openid.length)}`
      : o.requestKey,
    requester: asked ? { openid: pseudonym, name: CLOSED_NAME, householdId: null } : o.requester,
    assignee: held ? { openid: pseudonym, name: CLOSED_NAME } : o.assignee,
    events: o.events.map((e) => {
      const note = unnamed(e.note);
      const renamed = e.by === openid ? { ...e, by: pseudonym, byName: CLOSED_NAME } : e;
      return note === e.note ? renamed : { ...renamed, note };
    }),
    passedOver: o.passedOver.map((p) => (p === openid ? pseudonym : p)),
    // The phone and address they gave are theirs: erased with the account.
    contact: asked ? null : o.contact,
  };
}
