/**
 * 催办: the station head reminds the volunteer holding an order. The volunteer gets an in-app message
 * and, having accepted one, a subscribe message; the reminder is on the timeline and in the area's list.
 * Once in URGE_EVERY_HOURS per order, settled by the database when two heads urge at once; a retry of the
 * same request answers the one reminder. Nobody but the staff in scope may urge, and an order nobody
 * holds has nobody to remind.
 */
import { URGE_EVERY_HOURS } from '../../typings/order';
import { demoOrders } from '../helpers/orders';
import { person } from '../helpers/people';

const { cloud, orders } = demoOrders();

const messagesOf = (openid: string, orderId: string) =>
  cloud().engine.find('messages', { query: { openid, orderId }, limit: 1000 }) as { title: string; body: string }[];
const subscriptionLeft = (openid: string) =>
  (cloud().engine.find('subscriptions', { query: { _id: `${openid}:dispatched` } })[0] as { count: number } | undefined)
    ?.count ?? 0;

/** An order accepted by demo-volunteer. */
async function held(): Promise<string> {
  const id = await orders().open();
  await orders().ok(orders().call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
  await orders().ok(orders().call('demo-volunteer', { action: 'accept', id }));
  return id;
}

afterEach(async () => {
  await cloud().setClock(null);
});

test('the volunteer holding the order is reminded once, in the app and by subscribe message, on the timeline', async () => {
  const id = await held();
  await orders().ok(orders().call('demo-volunteer', { action: 'subscribed', templates: ['dispatched'] }));
  const left = subscriptionLeft('demo-volunteer');

  const urged = await orders().ok(
    orders().call('demo-station-head', { action: 'urge', id, requestId: 'urge-story-01' }),
  );
  expect(urged.events.at(-1)).toMatchObject({
    type: 'urged',
    from: 'accepted',
    to: 'accepted',
    by: 'demo-station-head',
  });
  expect(urged.urgedAt).toEqual(expect.any(String));
  expect(messagesOf('demo-volunteer', id).filter((m) => m.title === '站长催办')).toHaveLength(1);
  expect(subscriptionLeft('demo-volunteer')).toBe(left - 1);

  // The answer was lost and the page sends the same request again: one reminder, one event.
  const again = await orders().ok(
    orders().call('demo-station-head', { action: 'urge', id, requestId: 'urge-story-01' }),
  );
  expect(again.events.filter((e) => e.type === 'urged')).toHaveLength(1);
  expect(messagesOf('demo-volunteer', id).filter((m) => m.title === '站长催办')).toHaveLength(1);

  // The overdue list shows who holds it and when it was urged.
  const listed = await orders().ok(
    orders().call('demo-station-head', { action: 'list', scope: 'area', status: ['accepted'] }),
  );
  expect(listed.orders.find((o) => o.id === id)).toMatchObject({
    assigneeName: expect.any(String),
    urgedAt: urged.urgedAt,
  });
});

test('a second reminder within the hours is refused and changes nothing; after them it goes', async () => {
  const id = await held();
  await orders().ok(orders().call('demo-station-head', { action: 'urge', id, requestId: 'urge-twice-01' }));
  const before = await orders().get('demo-station-head', id);

  const soon = await orders().call('demo-station-head', { action: 'urge', id, requestId: 'urge-twice-02' });
  expect(soon).toMatchObject({
    ok: false,
    error: { code: 'RATE_LIMITED', message: expect.stringContaining('已经催过了') },
  });
  expect(await orders().get('demo-station-head', id)).toEqual(before);

  await cloud().setClock(new Date(Date.now() + (URGE_EVERY_HOURS * 60 + 1) * 60_000).toISOString());
  const later = await orders().ok(
    orders().call('demo-station-head', { action: 'urge', id, requestId: 'urge-twice-03' }),
  );
  expect(later.events.filter((e) => e.type === 'urged')).toHaveLength(2);
  expect(messagesOf('demo-volunteer', id).filter((m) => m.title === '站长催办')).toHaveLength(2);
});

test('two staff urging at once make one reminder: the database settles it', async () => {
  const id = await held();
  const answers = await Promise.all([
    orders().call('demo-station-head', { action: 'urge', id, requestId: 'urge-race-01' }),
    orders().call('demo-center-admin', { action: 'urge', id, requestId: 'urge-race-02' }),
  ]);
  expect(answers.filter((r) => r.ok)).toHaveLength(1);
  expect(answers.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['RATE_LIMITED']);
  const order = await orders().get('demo-station-head', id);
  expect(order.events.filter((e) => e.type === 'urged')).toHaveLength(1);
  expect(messagesOf('demo-volunteer', id).filter((m) => m.title === '站长催办')).toHaveLength(1);
});

test('nobody holds an open order: nothing to urge; villagers, volunteers and other villages may not urge', async () => {
  const open = await orders().open();
  expect(
    await orders().call('demo-station-head', { action: 'urge', id: open, requestId: 'urge-open-01' }),
  ).toMatchObject({
    ok: false,
    error: { code: 'CONFLICT' },
  });
  const id = await held();
  const otherHead = person(cloud(), 'urge-other-head', [['stationHead', 'haian-02-001']]);
  for (const who of ['demo-villager', 'demo-volunteer', otherHead]) {
    expect(await orders().call(who, { action: 'urge', id, requestId: 'urge-nope-01' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  }
  expect((await orders().get('demo-station-head', id)).events.some((e) => e.type === 'urged')).toBe(false);
});
