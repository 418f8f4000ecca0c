/**
 * Client of the `order` cloud function (the five-order workflow), plus the two things every order page
 * needs around it: a request id that makes a retried submit one order, and the subscribe-message prompt
 * that WeChat allows only synchronously inside a tap handler.
 */
import { getLocalCloudUrl, useLocalCloud } from '../config';
import { getLocalIdentity } from './identity';
import type { ActionName, OrderApi, Req, Res } from '../contract/api';
import type { Result } from '../contract/errors';
import { SUBSCRIBE_TEMPLATES, type TemplateKey } from '../contract/order';
import { call } from './transport';

type OrderActionName = ActionName<'order'> & keyof OrderApi;

/** Calls one action of the order function; answers its Result and never throws. */
export function orderCall<A extends OrderActionName>(
  action: A,
  request: Req<'order', A>,
): Promise<Result<Res<'order', A>>> {
  return call('order', action, request);
}

export const createOrder = (req: Req<'order', 'create'>) => orderCall('create', req);
export const similarOrders = (req: Req<'order', 'similar'>) => orderCall('similar', req);
export const getOrder = (id: string) => orderCall('get', { id });
export const listOrders = (req: Req<'order', 'list'>) => orderCall('list', req);
export const orderCounts = (orgId?: string) => orderCall('counts', orgId ? { orgId } : {});
export const orderHall = (req: Req<'order', 'hall'>) => orderCall('hall', req);
export const reviewOrder = (req: Req<'order', 'review'>) => orderCall('review', req);
export const orderCandidates = (id: string) => orderCall('candidates', { id });
export const dispatchOrder = (id: string, volunteer: string) => orderCall('dispatch', { id, volunteer });
export const acceptOrder = (id: string) => orderCall('accept', { id });
export const declineOrder = (id: string, reason: string) => orderCall('decline', { id, reason });
export const fulfilOrder = (req: Req<'order', 'fulfil'>) => orderCall('fulfil', req);
export const rateOrder = (req: Req<'order', 'rate'>) => orderCall('rate', req);
export const cancelOrder = (id: string) => orderCall('cancel', { id });
export const reopenOrder = (id: string, reason: string) => orderCall('reopen', { id, reason });
export const setAutoDispatch = (stationId: string, on: boolean) => orderCall('setAutoDispatch', { stationId, on });
export const urgeOrder = (id: string, requestId: string) => orderCall('urge', { id, requestId });
export const orderMessages = (req: Req<'order', 'messages'>) => orderCall('messages', req);
export const markMessagesRead = (ids: string[]) => orderCall('markRead', { ids });

/** A fresh idempotency key: made once per form, so every retry of that form's submit sends the same one. */
export function newRequestId(): string {
  const random = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `r${Date.now().toString(36)}${random}`;
}

/**
 * Asks the user to allow the given subscribe messages and reports the accepted ones to the function
 * (one accept allows one send). WeChat shows the prompt only when this runs inside a tap handler before
 * any await, so call it first thing in the handler; it never throws and never blocks the action.
 */
function grantLocally(templateIds: string[]): void {
  wx.request({
    url: `${getLocalCloudUrl()}/_admin/subscriptions`,
    method: 'POST',
    data: { openid: getLocalIdentity(), templateIds },
    fail() {
      // The local cloud is gone: the in-app message still arrives.
    },
  });
}

export function askSubscribe(keys: TemplateKey[]): void {
  const ids = keys.map((k) => SUBSCRIBE_TEMPLATES[k]);
  if (ids.length === 0 || typeof wx.requestSubscribeMessage !== 'function') return;
  try {
    wx.requestSubscribeMessage({
      tmplIds: ids.slice(0, 3),
      success(res) {
        const answers = res as unknown as Record<string, string>;
        const accepted = keys.filter((k) => answers[SUBSCRIBE_TEMPLATES[k]] === 'accept');
        if (accepted.length === 0) return;
        void orderCall('subscribed', { templates: accepted });
        // In development WeChat is the local cloud: it must hear of the accept too, as WeChat does.
        if (useLocalCloud()) grantLocally(accepted.map((k) => SUBSCRIBE_TEMPLATES[k]));
      },
      fail() {
        // Declined, or templates not set up yet: the in-app messages still carry the news.
      },
    });
  } catch {
    // Older base libraries: nothing to ask.
  }
}
