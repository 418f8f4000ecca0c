/**
 * The detail page's actions other than the main story, each shown only when `can` allows it: the
 * villager cancels (after a confirm) or reopens a closed order with a reason; the station head turns a
 * wish down on 审核派单 with a reason the villager then reads; a volunteer declines a dispatched task
 * with a reason. Orders are prepared through the gateway; the step under test goes through the page.
 */
import type { Order } from '../../typings/api';
import {
  callAs,
  closeAllPages,
  exists,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  waitFor,
  type SimPage,
} from './harness';
import { freshVillager, getOrderAs, installOrderPhone, orderRequests, postOrder, waitForText } from './order-helpers';
import { callsTo } from './wx-fake';

/** Away from the demo orders: no similar-order warnings, no crowding of lists. */
const PLACE = { lat: 32.6251, lng: 120.5531 };

const order = (openid: string, action: string, extra: Record<string, unknown>) =>
  callAs<Order>(openid, 'order', { action, ...extra });

async function openDetail(openid: string, id: string): Promise<SimPage> {
  launchAs(openid);
  installOrderPhone();
  const page = openPage('packages/order/detail/index', { id });
  await waitFor('the order', page, () => exists(page, '#summary'));
  return page;
}

afterEach(() => closeAllPages());

test('the villager cancels a wish from its detail, after saying yes to the confirm', async () => {
  const villager = await freshVillager();
  const id = await postOrder(villager, { category: 'law', title: '想咨询赡养纠纷', location: PLACE });
  const page = await openDetail(villager, id);
  expect(textOf(page, '#status')).toContain('待审核');

  tap(page, '#action-cancel');
  await waitForText(page, '#panel-cancel', '确定要取消这个需求吗？');
  tap(page, '#cancel-back');
  await waitFor('the confirm gone', page, () => !exists(page, '#panel-cancel'));
  expect(orderRequests('cancel')).toHaveLength(0);

  tap(page, '#action-cancel');
  await waitFor('the confirm', page, () => exists(page, '#cancel-confirm'));
  tap(page, '#cancel-confirm');

  await waitForText(page, '#status', '已取消');
  expect(textOf(page, '#status-hint')).toBe('您已经取消了这个需求。');
  expect(textOf(page, '#notice')).toBe('这个需求已经取消。');
  expect(textOf(page, '#timeline')).toContain('取消了需求');
  // Nothing left to do on a cancelled order.
  expect(exists(page, '#actions')).toBe(false);
  expect((await getOrderAs(villager, id)).status).toBe('cancelled');
});

test('the station head turns a wish down on 审核派单 with a reason, and the villager reads it on the detail', async () => {
  const villager = await freshVillager();
  const id = await postOrder(villager, { category: 'policy', title: '想问问宅基地政策', location: PLACE });

  launchAs('demo-station-head');
  installOrderPhone();
  const review = openPage('packages/order/review/index', { tab: 'review' });
  await waitFor('the wish', review, () => exists(review, `#reject-${id}`));
  tap(review, `#reject-${id}`);
  await waitFor('the reason form', review, () => exists(review, '#reject-submit'));

  tap(review, '#reject-submit');
  await waitForText(review, '#action-error', '请写一下不通过的原因');
  expect(orderRequests('review')).toHaveLength(0);

  review.querySelectorAll('.wm-order-review__chip')[0].dispatchEvent('tap');
  await waitFor('the reason chosen', review, () => review.data.reason === '不属于服务范围');
  typeInto(review, '#reason', '不属于服务范围，请直接到镇上自然资源所咨询。');
  tap(review, '#reject-submit');
  await waitForText(review, `#decided-${id}`, '已退回');
  expect(orderRequests('review')).toEqual([
    { action: 'review', id, approve: false, reason: '不属于服务范围，请直接到镇上自然资源所咨询。' },
  ]);
  closeAllPages();

  const page = await openDetail(villager, id);
  expect(textOf(page, '#status')).toContain('未通过');
  expect(textOf(page, '#status-hint')).toBe('这个需求没有通过审核，原因见下方。');
  expect(textOf(page, '#timeline')).toContain('审核没有通过');
  expect(textOf(page, '#timeline')).toContain('请直接到镇上自然资源所咨询');
  expect(textOf(page, '#timeline')).toContain('李站长');
});

test('a volunteer declines a dispatched task with a reason; it goes back to be dispatched again', async () => {
  const villager = await freshVillager();
  const id = await postOrder(villager, { category: 'technology', title: '手机上怎么网上卖桃子', location: PLACE });
  await order('demo-station-head', 'review', { id, approve: true });
  await order('demo-station-head', 'dispatch', { id, volunteer: 'demo-volunteer' });

  const page = await openDetail('demo-volunteer', id);
  expect(textOf(page, '#status')).toContain('待您接单');
  tap(page, '#action-decline');
  await waitForText(page, '#panel-reason', '为什么不接这一单？');
  tap(page, '#reason-submit');
  await waitForText(page, '#panel-error', '请写一下不接的原因');

  typeInto(page, '#reason', '这几天在外地，回不来');
  tap(page, '#reason-submit');

  await waitFor('the task handed back', page, () => textOf(page, '#notice') === '已告诉站长您不接这一单。');
  expect(orderRequests('decline')).toEqual([{ action: 'decline', id, reason: '这几天在外地，回不来' }]);
  expect(exists(page, '#action-decline')).toBe(false);
  expect(exists(page, '#action-fulfil')).toBe(false);
  const after = await getOrderAs('demo-station-head', id);
  expect(after.status).toBe('open');
  expect(after.events.map((e) => e.type)).toContain('declined');
  // The buttons are exactly what the function allows the volunteer now.
  const can = (await getOrderAs('demo-volunteer', id)).can;
  expect(exists(page, '#action-accept')).toBe(can.includes('accept'));
  expect(textOf(page, '#status')).toContain('待派单');
});

test('the villager reopens a closed order that was not really done, with the reason', async () => {
  const villager = await freshVillager();
  const id = await postOrder(villager, { category: 'technology', title: '家里的宽带坏了', location: PLACE });
  await order('demo-station-head', 'review', { id, approve: true });
  await order('demo-station-head', 'dispatch', { id, volunteer: 'demo-volunteer' });
  await order('demo-volunteer', 'accept', { id });
  await order('demo-volunteer', 'fulfil', { id, note: '重启了路由器，能上网了。' });
  await order(villager, 'rate', { id, stars: 2 });

  const page = await openDetail(villager, id);
  expect(textOf(page, '#status')).toContain('已完成');
  expect(exists(page, '#action-cancel')).toBe(false);

  tap(page, '#action-reopen');
  await waitForText(page, '#panel-reason', '为什么要重新办？');
  page.querySelectorAll('.wm-order-detail__chip')[0].dispatchEvent('tap');
  await waitFor('the reason chosen', page, () => page.data.reason === '没有真正办好');
  tap(page, '#reason-submit');

  await waitFor('the order reopened', page, () => !(textOf(page, '#status') ?? '').includes('已完成'));
  expect(textOf(page, '#notice')).toBe('已重新打开，站长会再安排。');
  expect(textOf(page, '#timeline')).toContain('没有真正办好');
  expect(orderRequests('reopen')).toEqual([{ action: 'reopen', id, reason: '没有真正办好' }]);
  expect(['open', 'accepted', 'dispatched']).toContain((await getOrderAs(villager, id)).status);
});

test('each reader gets the status in their own words, the main action first', async () => {
  const villager = await freshVillager();
  const id = await postOrder(villager, {
    category: 'health',
    title: '想请人上门量血压',
    location: PLACE,
    contact: { phone: '13912345678' },
  });
  await order('demo-station-head', 'review', { id, approve: true });
  await order('demo-station-head', 'dispatch', { id, volunteer: 'demo-volunteer' });

  let page = await openDetail(villager, id);
  expect(textOf(page, '#status')).toContain('已派单');
  expect(textOf(page, '#status-hint')).toBe('已经派给志愿者张志愿，等志愿者确认。');
  closeAllPages();

  page = await openDetail('demo-station-head', id);
  expect(textOf(page, '#status-hint')).toBe('已经派给志愿者张志愿，等志愿者确认接单。');
  closeAllPages();

  page = await openDetail('demo-volunteer', id);
  expect(textOf(page, '#status')).toContain('待您接单');
  expect(textOf(page, '#status-hint')).toMatch(/^站长把这一单派给了您/);
  // The volunteer may call the villager, by name.
  expect(textOf(page, '#call')).toMatch(/^打电话给/);
  tap(page, '#action-accept');
  await waitForText(page, '#status', '服务中');
  expect(textOf(page, '#status-hint')).toMatch(/^您已经接了这一单/);
  closeAllPages();

  // While the volunteer holds it, the villager can call them.
  page = await openDetail(villager, id);
  expect(textOf(page, '#assignee-contact')).toContain('志愿者张志愿正在办');
  tap(page, '#call-assignee');
  await waitFor('the call', page, () => callsTo('makePhoneCall').length === 1);
  expect(callsTo('makePhoneCall')[0].phoneNumber).toMatch(/^1\d{10}$/);
  closeAllPages();

  page = await openDetail('demo-volunteer', id);
  // 办好了，去销单 comes before 不接这一单.
  const buttons = page.querySelectorAll('#actions .wm-button').map((b) => b.dom?.textContent?.trim());
  expect(buttons.indexOf('办好了，去销单')).toBeGreaterThanOrEqual(0);
  expect(buttons.indexOf('办好了，去销单')).toBeLessThan(buttons.indexOf('不接这一单') >>> 0);
});

test('an order that is not hers offers 返回, not a 重试 that cannot help', async () => {
  const villager = await freshVillager();
  const other = await freshVillager('other');
  const id = await postOrder(other, { category: 'law', title: '想咨询邻里纠纷', location: PLACE });
  launchAs(villager);
  installOrderPhone();
  const page = openPage('packages/order/detail/index', { id });
  await waitFor('the refusal', page, () => exists(page, '#error'));
  expect(textOf(page, '#error-message')).toBe('您不能查看这个需求。');
  expect(exists(page, '#retry')).toBe(false);
  tap(page, '#back');
  await waitFor('the way back', page, () => callsTo('navigateBack').length + callsTo('switchTab').length === 1);
});
