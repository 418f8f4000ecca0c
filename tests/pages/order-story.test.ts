/**
 * The five-order method through the pages, as the demo people, against the real local cloud (demo
 * county loaded) and the real order function: 赵桂英 (demo-villager) posts a wish with a photo on
 * 我要点单 → 李站长 (demo-station-head) approves it on 审核派单 and dispatches it to the top candidate on
 * 派单 → 张志愿 (demo-volunteer) finds it in 我的任务, accepts it and closes it with proof on the detail
 * page → 赵桂英 rates it and sees 已完成, and finds the news in 消息.
 *
 * The wish is 送爱心 (charity) at 文化礼堂: in the demo data 张志愿 is the village's only volunteer with
 * that skill (for 送健康 demo-vol-001, rated 5.0, ranks above him), and no open charity wish lies
 * within the similar-order radius of that point, so the post goes straight through.
 */
import { SUBSCRIBE_TEMPLATES } from '../../typings/order';
import {
  closeAllPages,
  component,
  exists,
  fire,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  waitFor,
  type SimPage,
} from './harness';
import {
  demoPoints,
  getOrderAs,
  installOrderPhone,
  orderRequests,
  phone,
  queryOf,
  tapIn,
  waitForNavigation,
  waitForText,
  type PointInfo,
} from './order-helpers';
import { callsTo, device, requests } from './wx-fake';

const TITLE = '帮独居老人搬过冬的煤球';
const CONTENT = '隔壁王奶奶一个人住，过冬的煤球堆在院门口，她腿脚不好搬不动，想请志愿者帮忙搬进屋。';

let point: PointInfo;
let orderId = '';

/** Acts as `openid` on a fresh phone standing at the practice point. */
function as(openid: string): void {
  launchAs(openid);
  installOrderPhone();
  device.location = { latitude: point.lat, longitude: point.lng };
}

const detail = async (): Promise<SimPage> => {
  const page = openPage('packages/order/detail/index', { id: orderId });
  await waitFor('the order', page, () => exists(page, '#summary'));
  return page;
};

beforeAll(async () => {
  // 文化礼堂 of the demo village: where the wish is for.
  const points = await demoPoints();
  const found = points.find((p) => p.name.includes('文化礼堂'));
  if (!found) throw new Error(`the demo village has no 文化礼堂 among ${points.map((p) => p.name).join(', ')}`);
  point = found;
});

afterEach(() => closeAllPages());

test('1. the villager posts a charity wish with a photo and a practice point; the detail shows it waiting for review', async () => {
  as('demo-villager');
  const page = openPage('packages/order/create/index');

  tap(page, '#kind-wish');
  tapIn(page, '#categories', '#category-charity');
  typeInto(page, '#title', TITLE);
  typeInto(page, '#content', CONTENT);
  await waitForText(page, '#title-count', `${TITLE.length}/30`);
  tapIn(page, '#photos', '#photo-add');
  await waitFor('the photo', page, () => (page.data.photos as string[]).length === 1);

  tap(page, '#pick-point');
  await waitFor('the nearby points', page, () => exists(page, '#points'));
  // The nearest three in the form, the rest in a sheet one tap away.
  expect(page.querySelectorAll('#points .wm-order-create__point')).toHaveLength(3);
  tap(page, '#more-points');
  await waitFor('the sheet', page, () => exists(page, '#points-sheet'));
  expect(page.querySelectorAll('#points-sheet .wm-order-create__point').length).toBeGreaterThan(3);
  tap(page, '#sheet-close');
  await waitFor('the sheet closed', page, () => !exists(page, '#points-sheet'));
  const first = page.querySelectorAll('.wm-order-create__point')[0];
  expect(first.dom?.textContent).toContain(point.name);
  expect(first.dom?.textContent).toContain('就在附近');
  first.dispatchEvent('tap');
  await waitForText(page, '#place-text', point.name);

  typeInto(page, '#phone', '13912345678');
  typeInto(page, '#address', '凤山村3组12号');

  const sent = requests.length;
  tap(page, '#submit');
  await waitFor('the subscribe prompt', page, () => phone.subscribeCalls.length > 0);
  // Asked for in the tap handler itself, before anything went out (WeChat allows it only there).
  expect(phone.subscribeCalls).toEqual([{ tmplIds: [SUBSCRIBE_TEMPLATES.progress], requestsBefore: sent }]);
  // Other page tests share this cloud and may have posted a charity wish here: she posts hers anyway.
  await waitFor('the answer to 提交', page, () => exists(page, '#similar') || orderRequests('create').length > 0);
  if (exists(page, '#similar')) tap(page, '#submit-anyway');

  const url = await waitForNavigation(page, 'redirectTo');
  expect(url).toMatch(/^\/packages\/order\/detail\/index\?id=/);
  orderId = queryOf(url).id;
  expect(orderRequests('similar')).toHaveLength(1);
  expect(orderRequests('create')).toHaveLength(1);
  expect(orderRequests('subscribed')).toEqual([{ action: 'subscribed', templates: ['progress'] }]);
  expect(phone.uploads).toHaveLength(1);
  expect(phone.uploads[0]).toMatchObject({ status: 200, openid: 'demo-villager' });
  expect(orderRequests('create')[0]).toMatchObject({
    kind: 'wish',
    category: 'charity',
    title: TITLE,
    pointId: point.id,
    photos: [phone.uploads[0].fileID],
    contact: { phone: '13912345678', address: '凤山村3组12号' },
  });

  const d = await detail();
  expect(textOf(d, '#title')).toBe(TITLE);
  expect(textOf(d, '#status')).toContain('待审核');
  expect(textOf(d, '#status-hint')).toBe('站长会尽快审核您的需求。');
  // The photo is there for her: still being checked, or already passed (the local check answers in ~300 ms).
  expect(component(d, '#photos').querySelectorAll('.wm-photo-gallery__item')).toHaveLength(1);
  expect(textOf(d, '#contact-phone')).toContain('13912345678');
  expect(textOf(d, '#contact-address')).toContain('凤山村3组12号');
  // Her own phone, to check what she left: no button to call herself.
  expect(textOf(d, '#contact')).toContain('您留的联系方式');
  expect(exists(d, '#call')).toBe(false);
  expect(textOf(d, '#timeline')).toContain('提交了需求');
  expect(textOf(d, '#timeline')).toContain('赵桂英');
  // Only what the villager may do now: cancel.
  expect(exists(d, '#action-cancel')).toBe(true);
  for (const other of ['#action-accept', '#action-approve', '#action-dispatch', '#rate-submit', '#action-fulfil']) {
    expect(exists(d, other)).toBe(false);
  }
});

test('2. the station head approves it on the review page and dispatches it to the top candidate, 张志愿', async () => {
  expect(orderId).not.toBe('');
  as('demo-station-head');
  const review = openPage('packages/order/review/index', { status: 'submitted' });
  await waitFor('the wish among those to review', review, () => exists(review, `#approve-${orderId}`));
  expect(textOf(review, `#item-${orderId}`)).toContain(TITLE);
  expect(textOf(review, `#item-${orderId}`)).toContain('待审核');

  const sent = requests.length;
  tap(review, `#approve-${orderId}`);
  await waitFor('the subscribe prompt', review, () => phone.subscribeCalls.length > 0);
  expect(phone.subscribeCalls).toEqual([{ tmplIds: [SUBSCRIBE_TEMPLATES.attention], requestsBefore: sent }]);
  await waitForText(review, `#decided-${orderId}`, '已审核通过');
  expect((await getOrderAs('demo-station-head', orderId)).status).toBe('open');

  tap(review, `#dispatch-${orderId}`);
  const url = await waitForNavigation(review, 'navigateTo');
  expect(url).toBe(`/packages/order/dispatch/index?id=${orderId}`);

  const dispatch = openPage('packages/order/dispatch/index', queryOf(url));
  await waitFor('the candidates', dispatch, () => exists(dispatch, '#candidate-1'));
  const top = textOf(dispatch, '#candidate-1') ?? '';
  expect(top).toContain('第1名');
  expect(top).toContain('张志愿');
  // Why it ranks first, in plain words.
  expect(top).toContain('服务本村');
  expect(top).toContain('会爱心服务');
  expect(top).toMatch(/评分\d\.\d|还没有评分/);
  // Every candidate says why: at least the skill, the load and the rating.
  const ranked = dispatch.querySelectorAll('.wm-order-dispatch__candidate').length;
  expect(dispatch.querySelectorAll('.wm-order-dispatch__reason').length).toBeGreaterThanOrEqual(3 * ranked);
  for (let rank = 1; rank <= ranked; rank += 1) expect(textOf(dispatch, `#candidate-${rank}`)).toContain('会爱心服务');

  tap(dispatch, '#choose-1');
  await waitForText(dispatch, '#candidate-1', '确定派给张志愿吗？');
  tap(dispatch, '#confirm');
  await waitForText(dispatch, '#done-text', '已派给张志愿');
  const order = await getOrderAs('demo-station-head', orderId);
  expect(order.status).toBe('dispatched');
  expect(order.assignee).toEqual({ openid: 'demo-volunteer', name: '张志愿' });
});

test('3. the volunteer finds it in 我的任务, accepts it and closes it with a note and a photo', async () => {
  expect(orderId).not.toBe('');
  as('demo-volunteer');
  const tasks = openPage('packages/order/tasks/index');
  await waitFor('the task', tasks, () => textOf(tasks, '#list')?.includes(TITLE));
  expect(textOf(tasks, '#list')).toContain('待您接单');

  const d = await detail();
  expect(textOf(d, '#status')).toContain('待您接单');
  // The assigned volunteer sees the contact, not the photo still being checked.
  expect(textOf(d, '#contact-phone')).toContain('13912345678');
  expect(exists(d, '#action-accept')).toBe(true);
  expect(exists(d, '#action-decline')).toBe(true);
  expect(exists(d, '#action-cancel')).toBe(false);

  const sent = requests.length;
  tap(d, '#action-accept');
  await waitFor('the subscribe prompt', d, () => phone.subscribeCalls.length > 0);
  expect(phone.subscribeCalls).toEqual([{ tmplIds: [SUBSCRIBE_TEMPLATES.dispatched], requestsBefore: sent }]);
  await waitForText(d, '#status', '服务中');
  expect(textOf(d, '#notice')).toContain('您已接单');
  expect(textOf(d, '#timeline')).toContain('志愿者接单');
  expect(orderRequests('subscribed')).toEqual([{ action: 'subscribed', templates: ['dispatched'] }]);

  tap(d, '#action-fulfil');
  await waitFor('the fulfil form', d, () => exists(d, '#panel-fulfil'));
  tap(d, '#fulfil-submit');
  await waitForText(d, '#panel-error', '请写一下办了什么');
  expect(orderRequests('fulfil')).toHaveLength(0);

  typeInto(d, '#note', '已帮王奶奶把煤球搬进屋，码放整齐。');
  tapIn(d, '#fulfil-photos', '#photo-add');
  await waitFor('the proof photo', d, () => (d.data.fulfilPhotos as string[]).length === 1);
  // The time spent, picked in half hours (the fourth choice: 1.5 hours), counts as service hours later.
  expect(textOf(d, '#service-time')).toBe('不填');
  fire(d, '#service-time', 'change', { value: '3' });
  await waitFor('the time picked', d, () => textOf(d, '#service-time') === '1.5 小时');
  tap(d, '#fulfil-submit');
  await waitForText(d, '#status', '待评价');
  expect(textOf(d, '#fulfilment')).toContain('已帮王奶奶把煤球搬进屋');
  expect(textOf(d, '#fulfil-time')).toBe('用时 1.5 小时');
  expect(phone.uploads).toEqual([expect.objectContaining({ status: 200, openid: 'demo-volunteer' })]);
  expect(orderRequests('fulfil')[0]).toMatchObject({ id: orderId, photos: [phone.uploads[0].fileID], minutes: 90 });
  expect(exists(d, '#action-fulfil')).toBe(false);
});

test('4. the villager rates it five stars and sees 已完成; the news is in 消息', async () => {
  expect(orderId).not.toBe('');
  as('demo-villager');
  const d = await detail();
  expect(textOf(d, '#status')).toContain('待评价');
  expect(textOf(d, '#status-hint')).toBe('志愿者说已经办好了，请您评价。');
  // Her photo and the volunteer's proof, each shown (as a picture, or as 图片审核中 until WeChat's check answers).
  expect(component(d, '#photos').querySelectorAll('.wm-photo-gallery__item')).toHaveLength(1);
  expect(component(d, '#fulfil-gallery').querySelectorAll('.wm-photo-gallery__item')).toHaveLength(1);

  tap(d, '#rate-submit');
  await waitForText(d, '#action-error', '请点星星打分');
  tapIn(d, '#rating', '#star-5');
  await waitForText(d, '#rating', '非常满意');
  typeInto(d, '#comment', '小张干活利索，谢谢！');
  tap(d, '#rate-submit');

  await waitForText(d, '#status', '已完成');
  expect(textOf(d, '#status-hint')).toBe('这件事已经办完了。');
  expect(textOf(d, '#rated')).toContain('小张干活利索');
  expect(textOf(d, '#timeline')).toContain('群众评价');
  expect(exists(d, '#rate-submit')).toBe(false);
  expect((await getOrderAs('demo-villager', orderId)).rating).toMatchObject({
    stars: 5,
    comment: '小张干活利索，谢谢！',
  });

  const messages = openPage('packages/order/messages/index');
  await waitFor('the messages', messages, () => exists(messages, '#list'));
  const mine = messages.querySelectorAll('.wm-order-messages__item');
  expect(mine.length).toBeGreaterThan(0);
  expect(textOf(messages, '#list')).toContain(TITLE.slice(0, 8));
  expect(textOf(messages, '#unread')).toMatch(/\d+条未读/);
  const unread = Number(/(\d+)条未读/.exec(textOf(messages, '#unread') ?? '')?.[1]);
  mine[0].dispatchEvent('tap');
  await waitFor('the first message marked read', messages, () => orderRequests('markRead').length === 1);
  expect(callsTo('navigateTo').map((c) => c.url)).toContain(`/packages/order/detail/index?id=${orderId}`);
  await waitFor('one fewer unread', messages, () =>
    unread === 1 ? !exists(messages, '#unread') : textOf(messages, '#unread') === `${unread - 1}条未读`,
  );
});
