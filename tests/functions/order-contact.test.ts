/**
 * Each side can call the other while the work is under way: once the volunteer has accepted, the villager
 * who asked (and the station's staff) get the volunteer's phone with the order; before accepting and
 * once it is done, they do not. The volunteer has the villager's contact from dispatch on.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';
import { openPhone, parseKey } from '../../cloudfunctions/shared/user/domain/phone';
import { phoneKeyEnv } from '../../localcloud/phonekeys';

let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  orders = orderClient(cloud);
  await orders.dailyLimit(50);
});

afterAll(async () => {
  await cloud.close();
});

test('the volunteer’s phone reaches the requester and the station head only while the order is held', async () => {
  // Stored sealed; the number inside is what the requester is shown while the order is held.
  const stored = (cloud.engine.find('volunteers', { query: { _id: 'demo-volunteer' } })[0] as { phone: string }).phone;
  expect(stored).toMatch(/^pe1:/);
  const volunteerPhone = openPhone(stored, parseKey(phoneKeyEnv().PHONE_KEY));
  expect(volunteerPhone).toMatch(/^1\d{10}$/);
  const id = await orders.post('demo-villager', { contact: { phone: '13912345678' } });
  await orders.ok(orders.call('demo-station-head', { action: 'review', id, approve: true }));
  await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));

  expect((await orders.get('demo-villager', id)).assigneePhone).toBeUndefined();
  expect((await orders.get('demo-volunteer', id)).contact?.phone).toBe('13912345678');

  const accepted = await orders.ok(orders.call('demo-volunteer', { action: 'accept', id }));
  expect(accepted.assigneePhone).toBeUndefined();
  expect((await orders.get('demo-villager', id)).assigneePhone).toBe(volunteerPhone);
  expect((await orders.get('demo-station-head', id)).assigneePhone).toBe(volunteerPhone);

  await orders.ok(orders.call('demo-volunteer', { action: 'fulfil', id, note: '已经办好了' }));
  expect((await orders.get('demo-villager', id)).assigneePhone).toBeUndefined();
});
