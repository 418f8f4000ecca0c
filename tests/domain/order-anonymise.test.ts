/**
 * An order once a person closed their account (shared/order/domain/anonymise.ts): it stays, with the
 * person under a pseudonym and 已注销用户 wherever they appear, and the contact they gave erased.
 */
import { anonymisedOrder } from '../../cloudfunctions/shared/order/domain/anonymise';
import type { OrderDoc } from '../../cloudfunctions/shared/order/domain/model';
import { CLOSED_NAME } from '../../typings/domain';

const at = new Date('2026-11-01T02:00:00Z');
const order = (over: Partial<OrderDoc> = {}): OrderDoc =>
  ({
    _id: 'o1',
    requestKey: 'u-req:r1',
    requester: { openid: 'u-req', name: '赵桂英', householdId: '10000001' },
    assignee: { openid: 'u-vol', name: '张志愿' },
    contact: { phone: 'pe1:x.y.z', address: '凤山村三组18号' },
    passedOver: ['u-old'],
    events: [
      { from: null, to: 'submitted', type: 'created', by: 'u-req', byName: '赵桂英', at },
      { from: 'open', to: 'dispatched', type: 'dispatched', by: 'u-head', byName: '李站长', at, note: '派给张志愿' },
      { from: 'dispatched', to: 'accepted', type: 'accepted', by: 'u-vol', byName: '张志愿', at },
    ],
    ...over,
  }) as OrderDoc;

test('the requester goes: name, household and contact, their timeline steps and their request key', () => {
  const a = anonymisedOrder(order(), 'u-req', 'closed-1', '赵桂英')!;
  expect(a.requester).toEqual({ openid: 'closed-1', name: CLOSED_NAME, householdId: null });
  expect(a.contact).toBeNull();
  expect(a.requestKey).toBe('closed-1:r1');
  expect(a.assignee).toEqual({ openid: 'u-vol', name: '张志愿' });
  expect(a.events.map((e) => [e.by, e.byName])).toEqual([
    ['closed-1', CLOSED_NAME],
    ['u-head', '李站长'],
    ['u-vol', '张志愿'],
  ]);
});

test('the volunteer goes from the assignee, the timeline and the passed-over list; the contact stays', () => {
  const a = anonymisedOrder(order({ passedOver: ['u-vol', 'u-old'] }), 'u-vol', 'closed-2', '张志愿')!;
  expect(a.assignee).toEqual({ openid: 'closed-2', name: CLOSED_NAME });
  expect(a.passedOver).toEqual(['closed-2', 'u-old']);
  expect(a.events[2]).toMatchObject({ by: 'closed-2', byName: CLOSED_NAME });
  // Their name in the station head's note goes too; the station head stays.
  expect(a.events[1]).toMatchObject({ by: 'u-head', byName: '李站长', note: `派给${CLOSED_NAME}` });
  expect(a.contact).toEqual(order().contact);
  expect(a.requester.name).toBe('赵桂英');
});

test('an order without the person is left alone, and a second pass changes nothing', () => {
  expect(anonymisedOrder(order(), 'u-stranger', 'closed-3', '路人')).toBeNull();
  const once = { ...order(), ...anonymisedOrder(order(), 'u-head', 'closed-4', '李站长')! };
  expect(once.events[1]).toMatchObject({ by: 'closed-4', byName: CLOSED_NAME });
  expect(anonymisedOrder(once, 'u-head', 'closed-4', '李站长')).toBeNull();
});
