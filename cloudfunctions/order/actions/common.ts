/** What the order actions share: the caller as a viewer, loading an order, answering it. */
import type { Order, OrderAction } from '../../../typings/api';
import type { OrderSettings, OrderStatus } from '../../../typings/order';
import type { ActionContext } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import { sdk } from '../../shared/runtime/sdk';
import { id } from '../../shared/runtime/validate';
import { findVolunteer } from '../../shared/user/store';
import { allowedActions, type ViewerContext } from '../../shared/order/machine';
import { mayView, toOrder, type EventDoc, type OrderDoc } from '../../shared/order/model';
import { findOrder, loadSettings } from '../../shared/order/store';

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

export async function mustOrder(id: string): Promise<OrderDoc> {
  const o = await findOrder(id);
  if (!o) throw new AppError('NOT_FOUND', '没有找到这个需求。');
  return o;
}

/** The order as the caller may see it; FORBIDDEN when it is none of their business. */
export async function present(o: OrderDoc, v: ViewerContext, settings: OrderSettings, now: Date): Promise<Order> {
  if (!mayView(o, v, v.volunteerAreas)) throw new AppError('FORBIDDEN', '您不能查看这个需求。');
  return withPhotoUrls(toOrder(o, v, allowedActions(o, v, settings, now)));
}

/** Temporary addresses for the photos the caller may see, in one storage call. */
async function withPhotoUrls(order: Order): Promise<Order> {
  const photos = [...order.photos, ...(order.fulfilment?.photos ?? [])];
  if (photos.length === 0) return order;
  let urls = new Map<string, string>();
  try {
    const r = (await sdk().getTempFileURL({ fileList: photos.map((p) => p.fileId) })) as {
      fileList: { fileID: string; tempFileURL: string }[];
    };
    urls = new Map(r.fileList.filter((f) => f.tempFileURL).map((f) => [f.fileID, f.tempFileURL]));
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
  type: string,
  from: OrderStatus | null,
  to: OrderStatus,
  v: { openid: string; name: string },
  at: Date,
  note?: string,
): EventDoc {
  return { from, to, type, by: v.openid, byName: v.name, at, ...(note ? { note } : {}) };
}

export interface Loaded {
  order: OrderDoc;
  viewer: ViewerContext & { name: string };
  settings: OrderSettings;
}

export async function load(ctx: ActionContext, id: string): Promise<Loaded> {
  const [order, viewer, settings] = await Promise.all([mustOrder(id), viewerOf(ctx), loadSettings()]);
  return { order, viewer, settings };
}

/** The actions a page may offer for the order now (used where an action answers the order). */
export async function answer(ctx: ActionContext, id: string): Promise<Order> {
  const { order, viewer, settings } = await load(ctx, id);
  return present(order, viewer, settings, ctx.now);
}

export type { OrderAction };
