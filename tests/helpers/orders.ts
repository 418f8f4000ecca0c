/** Driving orders through the real order function as the demo people, for the story tests. */
import type { Order, OrderApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { DEFAULT_ORDER_SETTINGS } from '../../typings/order';
import { startTestCloud, type TestCloud } from './localcloud';

export type OrderReq<A extends keyof OrderApi> = { action: A } & OrderApi[A]['req'];

export function orderClient(cloud: TestCloud) {
  let seq = 0;
  const call = <A extends keyof OrderApi>(openid: string, event: OrderReq<A>) =>
    cloud.call<Result<OrderApi[A]['res']>>('order', event, openid);
  const ok = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
    return r.data;
  };
  return {
    call,
    ok,
    /** A wish by `openid` (bound to a station), with its own request id and title. */
    async post(openid: string, over: Partial<OrderApi['create']['req']> = {}): Promise<string> {
      seq += 1;
      const r = await ok(
        call(openid, {
          action: 'create',
          kind: 'wish',
          category: 'health',
          title: `帮忙量血压${seq}`,
          content: '家里老人血压高，想请志愿者上门量一量。',
          requestId: `req-${Date.now().toString(36)}-${seq}`,
          acknowledgeSimilar: true,
          ...over,
        }),
      );
      return r.id;
    },
    /** Posted by demo-villager, approved by demo-station-head: an open order. */
    async open(over: Partial<OrderApi['create']['req']> = {}): Promise<string> {
      const id = await this.post('demo-villager', over);
      await ok(call('demo-station-head', { action: 'review', id, approve: true }));
      return id;
    },
    get: (openid: string, id: string): Promise<Order> => ok(call(openid, { action: 'get', id })),
    /** The center's settings with another daily limit (stories post many wishes as one villager). */
    dailyLimit: (limit: number) =>
      ok(
        call('demo-center-admin', {
          action: 'setSettings',
          settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: limit },
        }),
      ),
  };
}

/**
 * A demo test cloud and an order client for a test file, the daily posting limit lifted (many posts by
 * one villager): started before the file's tests, closed after them.
 */
export function demoOrders(dailyLimit = 50): { cloud: () => TestCloud; orders: () => ReturnType<typeof orderClient> } {
  let cloud: TestCloud;
  let orders: ReturnType<typeof orderClient>;
  beforeAll(async () => {
    cloud = await startTestCloud({ demo: true });
    orders = orderClient(cloud);
    await orders.dailyLimit(dailyLimit);
  });
  afterAll(async () => {
    await cloud.close();
  });
  return { cloud: () => cloud, orders: () => orders };
}
