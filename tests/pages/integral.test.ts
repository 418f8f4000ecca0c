/**
 * The integral pages against the demo county: a villager sees the household's points and ledger,
 * claims under a rule, objects on the notice board, redeems at the supermarket and finds the pickup
 * code, reads the roll of honour; the station head reviews and awards, settles the objection, stocks
 * the shelf and checks the code once by typing it.
 */
import { callAs, closeAllPages, exists, fire, launchAs, openPage, tap, textOf, typeInto, waitFor } from './harness';
import { callsTo } from './wx-fake';

const VILLAGER = 'demo-villager';
const HEAD = 'demo-station-head';
let seq = 0;
const requestId = () => `pg-integral-${Date.now().toString(36)}-${(seq += 1)}`;
const ready = (page: ReturnType<typeof openPage>) => page.data.status === 'ready';

afterEach(() => closeAllPages());

describe('我家积分', () => {
  test('shows the household’s balance and its ledger, newest first, and leads to the rest', async () => {
    const { balance } = await callAs<{ balance: number }>(VILLAGER, 'integral', { action: 'balance' });
    launchAs(VILLAGER);
    const page = openPage('packages/integral/home/index');
    await waitFor('the balance', page, () => ready(page));
    expect(textOf(page, '#balance')).toBe(String(balance));
    expect(page.querySelectorAll('.wm-item').length).toBeGreaterThan(0);
    expect(textOf(page, '#entry-0')).toMatch(/[+-]\d+/);
    tap(page, '#link-shop');
    await waitFor('the navigation', page, () => callsTo('navigateTo').length === 1);
    expect(callsTo('navigateTo')[0].url).toBe('/packages/integral/shop/index');
  });
});

describe('申报积分', () => {
  test('lists the rules by group; a claim is sent to the station head; evidence is asked for first', async () => {
    launchAs(VILLAGER);
    const page = openPage('packages/integral/claim/index');
    await waitFor('the rules', page, () => ready(page));
    expect(textOf(page, '#group-filial')).toContain('孝老爱亲');
    expect(textOf(page, '#rule-ban-gambling')).toContain('由站长评定');

    tap(page, '#rule-neighbour-found');
    await waitFor('the form', page, () => exists(page, '#note'));
    typeInto(page, '#note', '捡到钱包还给了失主');
    tap(page, '#send');
    await waitFor('the evidence message', page, () => exists(page, '#form-error'));
    expect(textOf(page, '#form-error')).toBe('这条细则需要上传照片作为证明。');

    tap(page, '#cancel');
    tap(page, '#rule-filial-visit');
    await waitFor('the form', page, () => page.data.chosen && exists(page, '#note'));
    typeInto(page, '#note', '周末回家陪父母吃饭');
    tap(page, '#send');
    await waitFor('the confirmation', page, () => exists(page, '#sent'));
    expect(textOf(page, '#sent')).toContain('等站长审核');
    const mine = await callAs<{ claims: { ruleId: string; note: string }[] }>(VILLAGER, 'integral', {
      action: 'claims',
      scope: 'mine',
    });
    expect(mine.claims[0]).toMatchObject({ ruleId: 'filial-visit', note: '周末回家陪父母吃饭' });
  });
});

describe('积分审核', () => {
  test('the station head approves a claim onto the notice board, and awards a household directly', async () => {
    const { id } = await callAs<{ id: string }>(VILLAGER, 'integral', {
      action: 'claim',
      ruleId: 'customs-reading',
      note: '参加道德讲堂',
      requestId: requestId(),
    });
    launchAs(HEAD);
    const page = openPage('packages/integral/review/index');
    await waitFor('the queue', page, () => ready(page) && exists(page, `#claim-${id}`));
    tap(page, `#approve-${id}`);
    await waitFor('the decision', page, () => exists(page, `#decided-${id}`));
    expect(textOf(page, `#decided-${id}`)).toBe('公示中');

    tap(page, '#tab-award');
    await waitFor('the award form', page, () => ready(page) && exists(page, '#award'));
    const rules = page.data.rules as { id: string }[];
    typeInto(page, '#household', '20000005');
    fire(page, '#rule', 'change', { value: rules.findIndex((r) => r.id === 'law-fire') });
    typeInto(page, '#note', '秸秆禁烧宣传做得好');
    tap(page, '#award-submit');
    await waitFor('the award', page, () => exists(page, '#award-result'));
    expect(textOf(page, '#award-result')).toContain('户号20000005');
    expect(textOf(page, '#award-result')).toContain('公示中');
  });
});

describe('积分公示', () => {
  test('a villager objects; the station head upholds it and the record is cancelled in the open', async () => {
    const { id } = await callAs<{ id: string }>(HEAD, 'integral', {
      action: 'award',
      householdId: '20000001',
      ruleId: 'env-toilet',
      note: '完成改厕，经村民小组核实',
      requestId: requestId(),
    });
    launchAs(VILLAGER);
    const board = openPage('packages/integral/notices/index');
    await waitFor('the board', board, () => ready(board) && exists(board, `#notice-${id}`));
    tap(board, `#object-${id}`);
    await waitFor('the reason box', board, () => exists(board, '#reason'));
    typeInto(board, '#reason', '他家还没有改好');
    tap(board, '#object-submit');
    await waitFor('the objection', board, () => textOf(board, `#notice-${id}`)?.includes('（待处理）'));
    closeAllPages();

    launchAs(HEAD);
    const manage = openPage('packages/integral/notices/index', { manage: '1' });
    await waitFor('the board', manage, () => ready(manage) && exists(manage, `#settle-${id}`));
    tap(manage, `#settle-${id}`);
    await waitFor('the reason box', manage, () => exists(manage, '#reason'));
    typeInto(manage, '#reason', '核实还没改好');
    tap(manage, '#uphold');
    await waitFor('the cancellation', manage, () => textOf(manage, `#notice-${id}`)?.includes('异议成立，已撤销'));
    expect(textOf(manage, `#notice-${id}`)).toContain('异议成立：核实还没改好');
  });
});

describe('积分超市', () => {
  test('a villager redeems and sees the code; the station head checks it once by typing it', async () => {
    launchAs(VILLAGER);
    const shop = openPage('packages/integral/shop/index');
    await waitFor('the shelf', shop, () => ready(shop) && exists(shop, '#buy-demo-item-4'));
    tap(shop, '#buy-demo-item-4');
    await waitFor('the question', shop, () => exists(shop, '#confirm'));
    tap(shop, '#confirm');
    await waitFor('the pickup code', shop, () => exists(shop, '#done-code'));
    const code = textOf(shop, '#done-code') ?? '';
    expect(code).toMatch(/^\d{8}$/);
    tap(shop, '#tab-codes');
    const codes = await waitFor('my codes', shop, () =>
      ready(shop) && shop.data.tab === 'codes' ? (shop.data.codes as { id: string; code: string }[]) : null,
    );
    expect(codes[0].code).toBe(code);
    expect(textOf(shop, `#code-${codes[0].id}`)).toContain(code);
    closeAllPages();

    launchAs(HEAD);
    const manage = openPage('packages/integral/manage/index');
    await waitFor('the shelf', manage, () => ready(manage));
    typeInto(manage, '#code', code);
    tap(manage, '#verify');
    await waitFor('the check', manage, () => exists(manage, '#checked'));
    expect(textOf(manage, '#checked')).toContain('毛巾两条');
    typeInto(manage, '#code', code);
    tap(manage, '#verify');
    await waitFor('the refusal', manage, () => exists(manage, '#action-error'));
    expect(textOf(manage, '#action-error')).toBe('这个取货码已经领取过了。');
  });

  test('the station head puts a new item on the shelf and restocks it', async () => {
    launchAs(HEAD);
    const page = openPage('packages/integral/manage/index');
    await waitFor('the shelf', page, () => ready(page));
    typeInto(page, '#name', '挂面一箱');
    typeInto(page, '#points', '12');
    typeInto(page, '#stock', '4');
    tap(page, '#add');
    const item = await waitFor('the new item', page, () =>
      (page.data.items as { id: string; name: string }[]).find((i) => i.name === '挂面一箱'),
    );
    expect(textOf(page, `#stock-${item.id}`)).toBe('库存4');
    tap(page, `#restock-${item.id}`);
    await waitFor('the restock', page, () => textOf(page, `#stock-${item.id}`) === '库存14');
  });
});

describe('红榜', () => {
  test('ranks the village’s households this month and this year, most points first', async () => {
    launchAs(VILLAGER);
    const page = openPage('packages/integral/rank/index');
    await waitFor('the roll', page, () => ready(page));
    const points = (page.data.rows as { points: number }[]).map((r) => r.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));
    tap(page, '#tab-year');
    await waitFor('this year', page, () => ready(page) && page.data.tab === 'year');
    expect((page.data.rows as unknown[]).length).toBeGreaterThan(0);
    expect(textOf(page, '#row-0')).toMatch(/^第1名 .+家\s?\d+分$/);
  });
});

describe('积分复核', () => {
  test('the institute admin approves a big award the station head made, and it goes on notice', async () => {
    await callAs(HEAD, 'integral', {
      action: 'setRule',
      stationId: 'haian-01-001',
      ruleId: 'filial-family',
      points: 30,
    });
    const { id, status } = await callAs<{ id: string; status: string }>(HEAD, 'integral', {
      action: 'award',
      householdId: '20000009',
      ruleId: 'filial-family',
      note: '评为镇级好婆媳，经村民小组核实',
      requestId: requestId(),
    });
    expect(status).toBe('second');
    launchAs('demo-institute-admin');
    const page = openPage('packages/integral/review/index', { scope: 'second' });
    await waitFor('the second approvals', page, () => ready(page) && exists(page, `#claim-${id}`));
    expect(textOf(page, '#tab-queue')).toBe('待复核');
    expect(exists(page, '#tab-award')).toBe(false);
    tap(page, `#approve-${id}`);
    await waitFor('the decision', page, () => exists(page, `#decided-${id}`));
    expect(textOf(page, `#decided-${id}`)).toBe('公示中');
  });
});
