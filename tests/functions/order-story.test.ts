/**
 * The five-order method end to end, as the demo people, through the real functions and the local
 * cloud: 百姓点单 → 审核 → 中心派单 → 志愿接单 → 圆梦销单 → 群众评单, and the unhappy paths.
 */
import type { Order } from '../../typings/api';
import { DEFAULT_ORDER_SETTINGS } from '../../typings/order';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { orderClient } from '../helpers/orders';
import { person, volunteerAt } from '../helpers/people';

let cloud: TestCloud;
let orders: ReturnType<typeof orderClient>;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  orders = orderClient(cloud);
  // Many posts by one villager in these stories: lift the daily limit (tested on its own below).
  await orders.dailyLimit(50);
});

afterAll(async () => {
  await cloud.close();
});

const types = (o: Order) => o.events.map((e) => e.type);
const messagesOf = (openid: string) => cloud.engine.find('messages', { query: { openid }, limit: 1000 });

describe('the happy path', () => {
  it('a villager posts a wish, the station head reviews and dispatches it to the top candidate, the volunteer accepts and fulfils it with a photo, the villager rates it', async () => {
    // 百姓点单
    const { id, status } = await orders.ok(
      orders.call('demo-villager', {
        action: 'create',
        kind: 'wish',
        category: 'health',
        title: '给老伴量量血压',
        content: '老伴血压一直偏高，腿脚不便，想请懂行的志愿者上门量一量。',
        contact: { phone: '13912345678', address: '凤山村三组18号' },
        requestId: 'story-happy-0001',
        // The demo county has wishes of every kind nearby; this one is a different one.
        acknowledgeSimilar: true,
      }),
    );
    expect(status).toBe('submitted');
    expect(messagesOf('demo-station-head').some((m) => m.orderId === id)).toBe(true);

    // 审核
    const reviewed = await orders.ok(orders.call('demo-station-head', { action: 'review', id, approve: true }));
    expect(reviewed.status).toBe('open');
    expect(reviewed.can).toEqual(expect.arrayContaining(['dispatch']));

    // 派单: the ranked candidates, each with its reasons, best first; the top one is dispatched.
    const { candidates } = await orders.ok(orders.call('demo-station-head', { action: 'candidates', id }));
    expect(candidates.length).toBeGreaterThan(1);
    expect(candidates[0].reasons).toEqual(expect.arrayContaining(['服务本村', '会健康服务']));
    expect(candidates.map((c) => c.score)).toEqual([...candidates.map((c) => c.score)].sort((a, b) => b - a));
    expect(candidates.map((c) => c.openid)).toContain('demo-volunteer');
    const top = candidates[0];
    const before = cloud.engine.find('volunteers', { query: { _id: top.openid } })[0];
    const dispatched = await orders.ok(
      orders.call('demo-station-head', { action: 'dispatch', id, volunteer: top.openid }),
    );
    expect(dispatched).toMatchObject({ status: 'dispatched', assignee: { openid: top.openid, name: top.name } });

    // The volunteer sees the contact; a stranger does not see the order at all.
    const seen = await orders.get(top.openid, id);
    expect(seen.contact).toEqual({ phone: '13912345678', address: '凤山村三组18号' });
    expect(seen.can).toEqual(['accept', 'decline']);
    expect(await orders.call('demo-vol-030', { action: 'get', id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // 接单 and 销单 with a photo.
    await orders.ok(orders.call(top.openid, { action: 'accept', id }));
    const upload = await fetch(`${cloud.url}/_storage/upload`, {
      method: 'POST',
      headers: { 'x-wx-openid': top.openid },
      body: (() => {
        const f = new FormData();
        f.append('cloudPath', `uploads/${top.openid}/20260302/proof-${id}.png`);
        f.append('file', new Blob([Buffer.from('89504e47', 'hex')]), '1.png');
        return f;
      })(),
    });
    const { fileID } = (await upload.json()) as { fileID: string };
    const fulfilled = await orders.ok(
      orders.call(top.openid, {
        action: 'fulfil',
        id,
        note: '已上门量过，血压140/90，叮嘱按时吃药。',
        photos: [fileID],
      }),
    );
    expect(fulfilled.status).toBe('fulfilled');
    expect(fulfilled.fulfilment?.photos).toEqual([
      { fileId: fileID, check: 'pending', url: expect.stringContaining('/_storage/get/') },
    ]);

    // 评单
    const rated = await orders.ok(
      orders.call('demo-villager', { action: 'rate', id, stars: 5, comment: '志愿者很耐心，谢谢！' }),
    );
    expect(rated.status).toBe('closed');
    expect(rated.rating).toMatchObject({ stars: 5, auto: false });
    expect(types(rated)).toEqual(['created', 'reviewed', 'dispatched', 'accepted', 'fulfilled', 'rated']);
    expect(rated.events.map((e) => [e.from, e.to])).toEqual([
      [null, 'submitted'],
      ['submitted', 'open'],
      ['open', 'dispatched'],
      ['dispatched', 'accepted'],
      ['accepted', 'fulfilled'],
      ['fulfilled', 'closed'],
    ]);
    // The volunteer's counters moved with the order: back to the load they had, one more 5-star rating.
    const [vol] = cloud.engine.find('volunteers', { query: { _id: top.openid } });
    expect(vol).toMatchObject({
      load: before.load,
      ratingSum: Number(before.ratingSum) + 5,
      ratingCount: Number(before.ratingCount) + 1,
    });
    // The requester heard of each step; the volunteer of the dispatch and the rating.
    expect(
      messagesOf('demo-villager')
        .filter((m) => m.orderId === id)
        .map((m) => m.title),
    ).toEqual(expect.arrayContaining(['需求已通过审核', '志愿者已接单', '心愿已办好，请评价']));
    expect(
      messagesOf(top.openid)
        .filter((m) => m.orderId === id)
        .map((m) => m.title),
    ).toEqual(expect.arrayContaining(['有新任务派给您', '您收到了评价']));
  });
});

describe('the unhappy paths', () => {
  it('refuses text the content check rejects, and stores nothing', async () => {
    const before = cloud.engine.count('orders', {});
    const r = await orders.call('demo-villager', {
      action: 'create',
      kind: 'wish',
      category: 'charity',
      title: '组织赌博活动',
      content: '想在村里搞个赌博活动热闹热闹',
      requestId: 'story-rejected-text',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONTENT_REJECTED', message: expect.stringMatching(/修改/) } });
    expect(cloud.engine.count('orders', {})).toBe(before);
  });

  it('lets the station head reject with a reason the villager sees', async () => {
    const id = await orders.post('demo-villager');
    expect(await orders.call('demo-station-head', { action: 'review', id, approve: false })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    const o = await orders.ok(
      orders.call('demo-station-head', { action: 'review', id, approve: false, reason: '这件事请直接到村卫生室办理' }),
    );
    expect(o.status).toBe('rejected');
    const mine = await orders.get('demo-villager', id);
    expect(mine.events.at(-1)).toMatchObject({ type: 'rejected', note: '这件事请直接到村卫生室办理' });
  });

  it('lets the requester cancel before it is accepted, and not after', async () => {
    const early = await orders.open();
    expect((await orders.ok(orders.call('demo-villager', { action: 'cancel', id: early }))).status).toBe('cancelled');
    const late = await orders.open();
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id: late, volunteer: 'demo-volunteer' }));
    await orders.ok(orders.call('demo-volunteer', { action: 'accept', id: late }));
    expect(await orders.call('demo-villager', { action: 'cancel', id: late })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('a declined dispatch goes back to open, and the next dispatch skips who declined', async () => {
    const id = await orders.open();
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
    const declined = await orders.ok(
      orders.call('demo-volunteer', { action: 'decline', id, reason: '这周要出远门，去不了' }),
    );
    expect(declined.status).toBe('open');
    expect(declined.assignee).toBeNull();
    const { candidates } = await orders.ok(orders.call('demo-station-head', { action: 'candidates', id }));
    expect(candidates.map((c) => c.openid)).not.toContain('demo-volunteer');
    expect(
      await orders.call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
    const next = await orders.ok(
      orders.call('demo-station-head', { action: 'dispatch', id, volunteer: candidates[0].openid }),
    );
    expect(next.assignee?.openid).toBe(candidates[0].openid);
    expect(types(next)).toEqual(['created', 'reviewed', 'dispatched', 'declined', 'dispatched']);
    const [vol] = cloud.engine.find('volunteers', { query: { _id: 'demo-volunteer' } });
    expect(vol.load).toBe(
      cloud.engine.count('orders', {
        'assignee.openid': 'demo-volunteer',
        status: { $in: ['dispatched', 'accepted'] },
      }),
    );
  });

  it('lets a volunteer of the area claim an open order from the hall, nearest first', async () => {
    const id = await orders.open({ category: 'technology', title: '教我用手机挂号' });
    const hall = await orders.ok(orders.call('demo-volunteer', { action: 'hall' }));
    expect(hall.orders.map((o) => o.id)).toContain(id);
    const distances = hall.orders.map((o) => o.distanceM ?? Infinity);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Before taking it, a volunteer of the area sees enough to decide, not enough to visit.
    const browsing = await orders.get('demo-volunteer', id);
    expect(browsing.requester).toEqual({ openid: '', name: '赵**' });
    expect(browsing.contact).toBeNull();
    expect(browsing.events[0]).toMatchObject({ type: 'created', by: '', byName: '赵**' });
    const exact = await orders.get('demo-villager', id);
    expect(Math.abs(browsing.location!.lat - exact.location!.lat)).toBeLessThan(0.001);
    expect(String(browsing.location!.lat).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(3);
    const claimed = await orders.ok(orders.call('demo-volunteer', { action: 'accept', id }));
    expect(claimed).toMatchObject({ status: 'accepted', assignee: { openid: 'demo-volunteer' } });
    expect(types(claimed).at(-1)).toBe('claimed');
  });

  it('does not let a volunteer without the skill claim', async () => {
    volunteerAt(cloud, 'no-law-volunteer', 'haian-01-001', ['arts'], '不懂法');
    const id = await orders.open({ category: 'law', title: '土地承包合同咨询' });
    expect(await orders.call('no-law-volunteer', { action: 'accept', id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('lets the requester reopen a wish that was not really fulfilled, within the allowed days', async () => {
    const id = await orders.open();
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
    await orders.ok(orders.call('demo-volunteer', { action: 'accept', id }));
    await orders.ok(orders.call('demo-volunteer', { action: 'fulfil', id, note: '已办好' }));
    await orders.ok(orders.call('demo-villager', { action: 'rate', id, stars: 2 }));
    const [before] = cloud.engine.find('volunteers', { query: { _id: 'demo-volunteer' } });
    const reopened = await orders.ok(
      orders.call('demo-villager', { action: 'reopen', id, reason: '血压计是坏的，没有量准' }),
    );
    expect(reopened).toMatchObject({ status: 'open', assignee: null, rating: null });
    const [after] = cloud.engine.find('volunteers', { query: { _id: 'demo-volunteer' } });
    expect([after.ratingSum, after.ratingCount]).toEqual([
      Number(before.ratingSum) - 2,
      Number(before.ratingCount) - 1,
    ]);
    // Past the reopen window, it stays closed.
    const old = await orders.open();
    await orders.ok(orders.call('demo-station-head', { action: 'dispatch', id: old, volunteer: 'demo-volunteer' }));
    await orders.ok(orders.call('demo-volunteer', { action: 'accept', id: old }));
    await orders.ok(orders.call('demo-volunteer', { action: 'fulfil', id: old, note: '已办好' }));
    await orders.ok(orders.call('demo-villager', { action: 'rate', id: old, stars: 5 }));
    await cloud.setClock(new Date(Date.now() + (DEFAULT_ORDER_SETTINGS.reopenDays + 1) * 86_400_000).toISOString());
    try {
      expect(await orders.call('demo-villager', { action: 'reopen', id: old, reason: '后来又坏了' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    } finally {
      await cloud.setClock(null);
    }
  });

  it('warns of a similar open order nearby before posting, and posts once acknowledged', async () => {
    await orders.post('demo-villager', { category: 'customs', title: '村口垃圾堆要清理', acknowledgeSimilar: true });
    const near = await orders.ok(orders.call('demo-villager', { action: 'similar', category: 'customs' }));
    expect(near.orders.map((o) => o.title)).toContain('村口垃圾堆要清理');
    const warned = await orders.call('demo-villager', {
      action: 'create',
      kind: 'wish',
      category: 'customs',
      title: '村口垃圾没人清',
      content: '村口的垃圾堆好几天没人清了',
      requestId: 'story-similar-0001',
    });
    expect(warned).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/附近/) },
    });
    const posted = await orders.ok(
      orders.call('demo-villager', {
        action: 'create',
        kind: 'wish',
        category: 'customs',
        title: '村口垃圾没人清',
        content: '村口的垃圾堆好几天没人清了',
        requestId: 'story-similar-0001',
        acknowledgeSimilar: true,
      }),
    );
    expect(posted.status).toBe('submitted');
  });

  it('stops a villager posting more than the daily limit, counted by the Shanghai day', async () => {
    await orders.ok(
      orders.call('demo-center-admin', {
        action: 'setSettings',
        settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 2 },
      }),
    );
    try {
      person(cloud, 'eager-villager', [['villager', 'haian-01-002']], '着急的人');
      await orders.post('eager-villager');
      await orders.post('eager-villager');
      const third = await orders.call('eager-villager', {
        action: 'create',
        kind: 'wish',
        category: 'arts',
        title: '想学唱淮剧',
        content: '想找人教教唱淮剧',
        requestId: 'eager-third-0001',
        acknowledgeSimilar: true,
      });
      expect(third).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect(cloud.engine.count('orders', { 'requester.openid': 'eager-villager' })).toBe(2);
    } finally {
      await orders.ok(
        orders.call('demo-center-admin', {
          action: 'setSettings',
          settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50 },
        }),
      );
    }
  });

  it('asks an unbound person to bind a village first', async () => {
    const r = await orders.call('never-bound', {
      action: 'create',
      kind: 'wish',
      category: 'health',
      title: '想量血压呀',
      content: '想请人量血压',
      requestId: 'unbound-0000001',
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/绑定/) },
    });
  });

  it('sends a whistle straight to the institute', async () => {
    const id = await orders.post('demo-villager', { kind: 'whistle', category: 'law', title: '村道塌陷需要修' });
    const o = await orders.get('demo-institute-admin', id);
    expect(o).toMatchObject({ level: 'institute', status: 'submitted' });
    expect(o.can).toContain('review');
  });

  it('lists mine, assigned and area, and keeps others’ orders out', async () => {
    const mine = await orders.ok(orders.call('demo-villager', { action: 'list', scope: 'mine' }));
    expect(mine.orders.length).toBeGreaterThan(3);
    const area = await orders.ok(
      orders.call('demo-station-head', { action: 'list', scope: 'area', status: ['submitted'] }),
    );
    expect(area.orders.every((o) => o.status === 'submitted' && o.stationId === 'haian-01-001')).toBe(true);
    expect(await orders.call('demo-villager', { action: 'list', scope: 'area' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const assigned = await orders.ok(orders.call('demo-volunteer', { action: 'list', scope: 'assigned' }));
    expect(assigned.orders.length).toBeGreaterThan(0);
  });
});
