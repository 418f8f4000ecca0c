/**
 * 逾期与上报 for a station head: each order a volunteer holds says who holds it, with 催办 (one reminder,
 * which reaches the volunteer's messages and the timeline; a second one within the hours is refused
 * in plain words) and, once the volunteer has accepted, 打电话 with the volunteer's phone as the privacy
 * rules give it to the station head.
 */
import { callAs, closeAllPages, launchAs, openPage, textOf, waitFor, type SimPage } from './harness';
import { getOrderAs, installOrderPhone, tapIn } from './order-helpers';
import { callsTo } from './wx-fake';

interface Item {
  id: string;
  status: string;
  holder: string;
  urged: string;
  canUrge: boolean;
  canCall: boolean;
}

const items = (page: SimPage) => (page.data.items ?? []) as Item[];
const listed = (page: SimPage) => page.data.listStatus === 'ready';

afterEach(() => closeAllPages());

async function overdueWith(found: (i: Item) => boolean): Promise<[SimPage, Item]> {
  const page = openPage('packages/order/review/index', { status: 'overdue' });
  await waitFor('the list', page, () => listed(page));
  while (!items(page).some(found) && page.data.hasMore) {
    const before = items(page).length;
    tapIn(page, '#list-more', '#load-more');
    await waitFor('the next page', page, () => items(page).length > before && !page.data.loadingMore);
  }
  const item = items(page).find(found);
  if (!item) throw new Error('no such order in 逾期与上报 of the demo village');
  return [page, item];
}

test('催办 reminds the volunteer once; 打电话 calls the volunteer who holds the order', async () => {
  launchAs('demo-station-head');
  installOrderPhone();
  const [page, item] = await overdueWith((i) => i.canCall && !i.urged);
  expect(item.status).toBe('accepted');
  expect(textOf(page, `#follow-${item.id}`)).toContain('在办的志愿者：');
  const before = await getOrderAs('demo-station-head', item.id);
  const volunteer = before.assignee?.openid ?? '';

  page.querySelector(`#urge-${item.id}`)?.dispatchEvent('tap');
  await waitFor('the reminder', page, () => /已催办/.test(textOf(page, `#follow-${item.id}`) ?? ''));
  expect(page.querySelector(`#urge-${item.id}`)).toBeUndefined();
  const after = await getOrderAs('demo-station-head', item.id);
  expect(after.events.at(-1)).toMatchObject({ type: 'urged', by: 'demo-station-head' });
  const inbox = await callAs<{ messages: { title: string; orderId: string | null }[] }>(volunteer, 'order', {
    action: 'messages',
  });
  expect(inbox.messages.filter((m) => m.orderId === item.id && m.title === '站长催办')).toHaveLength(1);

  page.querySelector(`#call-${item.id}`)?.dispatchEvent('tap');
  await waitFor('the call', page, () => callsTo('makePhoneCall').length === 1);
  expect(callsTo('makePhoneCall')[0].phoneNumber).toBe(after.assigneePhone);
  expect(after.assigneePhone).toMatch(/^1\d{10}$/);

  // Back later the same afternoon: the card says it was urged, and a second reminder is refused in words.
  closeAllPages();
  const [again, seen] = await overdueWith((i) => i.id === item.id);
  expect(seen.urged).toMatch(/催办过$/);
  again.querySelector(`#urge-${item.id}`)?.dispatchEvent('tap');
  await waitFor('the refusal', again, () => !!textOf(again, '#action-error'));
  expect(textOf(again, '#action-error')).toContain('已经催过了');
  expect((await getOrderAs('demo-station-head', item.id)).events.filter((e) => e.type === 'urged')).toHaveLength(1);
});

test('an order waiting for its volunteer to accept can be urged but not called', async () => {
  launchAs('demo-station-head');
  installOrderPhone();
  const [page, item] = await overdueWith((i) => i.status === 'dispatched' && i.canUrge);
  expect(page.querySelector(`#call-${item.id}`)).toBeUndefined();
  expect(page.querySelector(`#urge-${item.id}`)).toBeDefined();
});

test('吹哨报到 is said in plain words beside it; an order nobody holds has no empty box under it', async () => {
  launchAs('demo-station-head');
  installOrderPhone();
  const [page] = await overdueWith((i) => i.status === 'submitted');
  expect(textOf(page, '#list')).toContain('吹哨报到（村里办不了，请上级来帮）');
  const waiting = items(page).filter((i) => i.status === 'submitted');
  for (const i of waiting) expect(page.querySelector(`#follow-${i.id}`)).toBeUndefined();
});
