/**
 * What a closing account lets go of (注销): the orders it holds as a volunteer go back to be taken by
 * another (a decline, passed over as any decline), and its own wishes nobody has started on are
 * cancelled, with the reason on the timeline. The same decisions and writes as the people's own steps
 * (domain/decide.ts, store.apply), the same follow-ups (messages, automatic dispatch). An order being
 * done (accepted) for them stays: the volunteer finishes it. Safe to run again: what is let go no longer
 * matches.
 */
import type { OrderAction } from '../../../typings/api';
import type { OrderStatus } from '../../../typings/order';
import { autoDispatch } from './dispatch';
import { applied, decide, type Caller, type TransitionInput } from './domain/decide';
import type { OrderDoc } from './domain/model';
import * as store from './store';
import { ordersOfPersonIn } from './store-records';
import { tell } from './tell';

/** The orders a volunteer holds: given back when they close their account. */
export const HELD: readonly OrderStatus[] = ['dispatched', 'accepted'];
/** A requester's wishes nobody has started on: cancelled when they close their account. */
export const UNSTARTED: readonly OrderStatus[] = ['submitted', 'open', 'dispatched'];

const RELEASE_REASON = '志愿者注销了账号，任务退回重新安排';
const CANCEL_REASON = '发起人注销了账号，心愿取消';

async function step<A extends OrderAction>(
  o: OrderDoc,
  act: A,
  by: Caller,
  input: TransitionInput[A],
  note: string,
  now: Date,
): Promise<boolean> {
  const settings = await store.loadSettings();
  const decision = decide(act, o, by, input, settings, now);
  if ('refused' in decision) return false;
  const change = { ...decision.change, event: { ...decision.change.event, note } };
  if (!(await store.apply(o._id, change))) return false;
  const after = applied(o, change);
  try {
    await tell(after, now);
    if (change.offerOn) await autoDispatch(after, settings, now);
  } catch (e) {
    console.error(`follow-ups of closing for order ${o._id} failed`, e);
  }
  return true;
}

export async function letGo(
  who: { openid: string; name: string },
  now: Date,
): Promise<{ released: number; cancelled: number }> {
  let released = 0;
  let cancelled = 0;
  for (const o of await ordersOfPersonIn('assignee', who.openid, HELD)) {
    const by: Caller = { ...who, relations: ['assignee'], skills: [] };
    if (await step(o, 'decline', by, { reason: RELEASE_REASON }, RELEASE_REASON, now)) released += 1;
  }
  for (const o of await ordersOfPersonIn('requester', who.openid, UNSTARTED)) {
    const by: Caller = { ...who, relations: ['requester'], skills: [] };
    if (await step(o, 'cancel', by, {}, CANCEL_REASON, now)) cancelled += 1;
  }
  return { released, cancelled };
}
