/**
 * An order's event as the figures see it: the counters it raises at the order's station and above, and
 * the volunteer it shows active. Used by the order store inside the transition's transaction and by
 * the recompute check over every order's timeline. Pure.
 */
import { orderEventActor, orderEventDelta, type Active, type EventFacts, type OrderFacts, type Raise } from './figures';

/** The events that move no figure: they need no transaction of their own. */
const SILENT = new Set(['dispatched', 'declined', 'skipped']);

export const movesFigures = (e: Pick<EventFacts, 'type'>): boolean => !SILENT.has(e.type);

export function orderRaises(
  o: OrderFacts & { path: readonly string[] },
  before: readonly EventFacts[],
  e: EventFacts,
): { raises: Raise[]; actives: Active[] } {
  const actor = orderEventActor(e);
  return {
    raises: [{ path: o.path, at: e.at, delta: orderEventDelta(o, before, e) }],
    actives: actor ? [{ openid: actor, path: o.path, at: e.at }] : [],
  };
}
