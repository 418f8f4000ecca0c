/**
 * What the order actions share: the caller as a viewer, the order as a document actions are declared
 * on (`orderAction({ as: [...] })`: loaded, with the caller's relations to it, before `run`), answering it.
 */
import type { Order, OrderAction } from '../../../typings/api';
import { eventTypesOf, type OrderEventType, type OrderSettings, type OrderStatus } from '../../../typings/order';
import { documentAction, type ActionContext, type Granted } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { tempUrls } from '../../shared/runtime/platform';
import { opened } from '../../shared/runtime/phones';
import { id } from '../../shared/runtime/validate';
import { findVolunteer } from '../../shared/user/store';
import {
  allowedActions,
  mayView,
  relationsTo,
  seesAssigneePhone,
  type OrderRelation,
  type ViewerContext,
} from '../../shared/order/domain/machine';
import {
  holdsContact,
  isDispatcher,
  isRequester,
  toOrder,
  type EventDoc,
  type OrderDoc,
} from '../../shared/order/domain/model';
import { findOrder, loadSettings } from '../../shared/order/store';
import { recordReveal } from '../../shared/order/store-records';

export const orderId = id;

export async function viewerOf(ctx: ActionContext): Promise<ViewerContext & { name: string }> {
  const [caller, volunteer] = await Promise.all([ctx.caller(), findVolunteer(ctx.openid)]);
  return {
    openid: ctx.openid,
    roles: caller.roles,
    name: caller.name ?? volunteer?.name ?? '群众',
    volunteerAreas: volunteer?.status === 'active' ? volunteer.areas : [],
    skills: volunteer?.status === 'active' ? volunteer.skills : [],
  };
}

export interface Loaded {
  order: OrderDoc;
  viewer: ViewerContext & { name: string };
  settings: OrderSettings;
}

export type LoadedOrder = Granted<Loaded, OrderRelation>;

async function load(ctx: ActionContext, id: string): Promise<Loaded | undefined> {
  const [order, viewer, settings] = await Promise.all([findOrder(id), viewerOf(ctx), loadSettings()]);
  return order && { order, viewer, settings };
}

/** An action on one order: `as` says who may call it (their relation to the order). */
export const orderAction = documentAction<{ id: string }, Loaded, OrderRelation>({
  load: (req, ctx) => load(ctx, req.id),
  relations: ({ order, viewer }) => relationsTo(order, viewer),
  // The caller's own last step was this action (a volunteer who declined is no longer its assignee).
  replay: ({ order }, ctx) => {
    const last = order.events.at(-1);
    return (
      !!last && last.by === ctx.openid && eventTypesOf(ctx.action as OrderAction).includes(last.type as OrderEventType)
    );
  },
  notFound: '没有找到这个需求。',
  forbidden: '您不能办理这个需求。',
});

/**
 * The order as the caller may see it, with the actions a page may offer; FORBIDDEN when not theirs to see.
 * A volunteer shown the requester's contact (they hold the order) is recorded for the station heads.
 */
export async function present(
  o: OrderDoc,
  v: ViewerContext & { name: string },
  settings: OrderSettings,
  now: Date,
): Promise<Order> {
  const relations = relationsTo(o, v);
  if (!mayView(o, relations)) throw new AppError('FORBIDDEN', '您不能查看这个需求。');
  if (o.contact && holdsContact(o, v) && !isRequester(o, v) && !isDispatcher(o, v)) {
    await recordReveal(o, { openid: v.openid, name: v.name }, now);
  }
  // The contact's phone is stored sealed: opened here, then shown in full or masked by toOrder.
  const contact = o.contact ? { ...o.contact, phone: opened(o.contact.phone) } : null;
  const order = await withPhotoUrls(toOrder({ ...o, contact }, v, allowedActions(o, v, settings, now)));
  if (!o.assignee || !seesAssigneePhone(o, relations)) return order;
  const volunteer = await findVolunteer(o.assignee.openid);
  return volunteer?.phone ? { ...order, assigneePhone: volunteer.phone } : order;
}

/** Temporary addresses for the photos the caller may see, in one storage call. */
async function withPhotoUrls(order: Order): Promise<Order> {
  const photos = [...order.photos, ...(order.fulfilment?.photos ?? [])];
  if (photos.length === 0) return order;
  let urls = new Map<string, string>();
  try {
    urls = await tempUrls(photos.map((p) => p.fileId));
  } catch (e) {
    console.warn('getTempFileURL failed', e);
  }
  const withUrl = (p: Order['photos'][number]) => ({ ...p, url: urls.get(p.fileId) ?? null });
  return {
    ...order,
    photos: order.photos.map(withUrl),
    fulfilment: order.fulfilment ? { ...order.fulfilment, photos: order.fulfilment.photos.map(withUrl) } : null,
  };
}

export function event(
  type: OrderEventType,
  from: OrderStatus | null,
  to: OrderStatus,
  v: { openid: string; name: string },
  at: Date,
  note?: string,
): EventDoc {
  return { from, to, type, by: v.openid, byName: v.name, at, ...(note ? { note } : {}) };
}

/** The order as it is now, as the caller sees it (used where an action answers the order). */
export async function answer(ctx: ActionContext, id: string): Promise<Order> {
  const loaded = await load(ctx, id);
  if (!loaded) throw new AppError('NOT_FOUND', '没有找到这个需求。');
  return present(loaded.order, loaded.viewer, loaded.settings, ctx.now);
}

export type { OrderAction };
