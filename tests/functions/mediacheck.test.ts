/**
 * Photos and WeChat's asynchronous image check end to end: uploaded to the local cloud's storage,
 * attached to an order, held back as pending, then decided by the push (wxa_media_check) that the
 * local cloud delivers to the mediacheck function a moment after mediaCheckAsync — risky when the
 * file's URL says so.
 */
import type { Order, OrderApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import type { PushRecord } from '../../localcloud/openapi';
import type { OrderDoc } from '../../cloudfunctions/shared/order/domain/model';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

/** Long enough that a test sees the photos pending before the verdict lands. */
const PUSH_DELAY_MS = 1500;

let cloud: TestCloud;
const previousDelay = process.env.LOCALCLOUD_PUSH_DELAY_MS;

beforeAll(async () => {
  process.env.LOCALCLOUD_PUSH_DELAY_MS = String(PUSH_DELAY_MS);
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
  if (previousDelay === undefined) delete process.env.LOCALCLOUD_PUSH_DELAY_MS;
  else process.env.LOCALCLOUD_PUSH_DELAY_MS = previousDelay;
});

type Req<A extends keyof OrderApi> = { action: A } & OrderApi[A]['req'];
const call = <A extends keyof OrderApi>(openid: string, event: Req<A>) =>
  cloud.call<Result<OrderApi[A]['res']>>('order', event, openid);
async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data;
}
/**
 * The order as `openid` sees it. Every photo shown comes with a temporary address to display it by,
 * served by storage; the comparisons below are then about which photos show, and how checked.
 */
async function get(id: string, openid: string): Promise<Order> {
  const o = await ok(call(openid, { action: 'get', id }));
  const bare = (photos: Order['photos']) =>
    photos.map(({ url, ...p }) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_storage\/get\//);
      return p;
    });
  return {
    ...o,
    photos: bare(o.photos),
    fulfilment: o.fulfilment ? { ...o.fulfilment, photos: bare(o.fulfilment.photos) } : null,
  };
}
const stored = (id: string) => cloud.engine.find('orders', { query: { _id: id } })[0] as unknown as OrderDoc;

/** A small PNG, uploaded as the mini-program does in local development. */
async function upload(openid: string, cloudPath: string): Promise<string> {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([png], { type: 'image/png' }), cloudPath.split('/').pop());
  const res = await fetch(`${cloud.url}/_storage/upload`, {
    method: 'POST',
    headers: { 'x-wx-openid': openid },
    body: form,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { fileID: string }).fileID;
}

let seq = 0;
async function post(photos: string[]): Promise<string> {
  seq += 1;
  const r = await ok(
    call('demo-villager', {
      action: 'create',
      kind: 'wish',
      category: 'health',
      title: `门口路灯坏了${seq}`,
      content: '门口的路灯坏了，晚上看不见路，照片在下面。',
      photos,
      requestId: `photo-${seq}-${Math.random().toString(36).slice(2, 10)}`,
      acknowledgeSimilar: true,
    }),
  );
  return r.id;
}

/** Reads the order until `done` holds, or fails after the timeout. */
async function until(id: string, openid: string, done: (o: Order) => boolean, timeoutMs = 10_000): Promise<Order> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const o = await get(id, openid);
    if (done(o)) return o;
    if (Date.now() > deadline) throw new Error(`order ${id} did not change in time: ${JSON.stringify(o.photos)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function pushes(): Promise<PushRecord[]> {
  const res = await fetch(`${cloud.url}/_admin/pushes?function=mediacheck`);
  return ((await res.json()) as { pushes: PushRecord[] }).pushes;
}

const mediacheck = (event: Record<string, unknown>, openid?: string) =>
  cloud.call<Result<Record<string, unknown>>>('mediacheck', event, openid);
const verdict = (traceId: string, suggest: string) => ({
  ToUserName: 'gh_localcloud',
  FromUserName: 'demo-villager',
  CreateTime: Math.floor(Date.now() / 1000),
  MsgType: 'event',
  Event: 'wxa_media_check',
  appid: 'wxlocalcloud000000',
  trace_id: traceId,
  version: 2,
  result: { suggest, label: suggest === 'pass' ? '100' : '20002' },
  detail: [],
});

describe('photos on an order and the image check push', () => {
  let id: string;
  let good: string;
  let risky: string;

  it('holds uploaded photos pending: shown to the people on the order, not to others', async () => {
    good = await upload('demo-villager', 'uploads/demo-villager/20260302/lamp.png');
    risky = await upload('demo-villager', 'uploads/demo-villager/20260302/risky-lamp.png');
    id = await post([good, risky]);
    await ok(call('demo-station-head', { action: 'review', id, approve: true }));

    const doc = stored(id);
    expect(doc.photos).toEqual([
      { fileId: good, check: 'pending', traceId: expect.stringMatching(/^local-/) },
      { fileId: risky, check: 'pending', traceId: expect.stringMatching(/^local-/) },
    ]);
    // The requester sees their upload waiting; a volunteer of the area (the order is open) sees none.
    expect((await get(id, 'demo-villager')).photos).toEqual([
      { fileId: good, check: 'pending' },
      { fileId: risky, check: 'pending' },
    ]);
    expect((await get(id, 'demo-volunteer')).photos).toEqual([]);
  });

  it('passes the good photo and rejects the risky one when the verdicts arrive', async () => {
    const o = await until(id, 'demo-villager', (x) => x.photos.every((p) => p.check !== 'pending'));
    // A rejected photo is shown to nobody, not even the one who uploaded it.
    expect(o.photos).toEqual([{ fileId: good, check: 'pass' }]);
    expect((await get(id, 'demo-volunteer')).photos).toEqual([{ fileId: good, check: 'pass' }]);
    expect((await get(id, 'demo-station-head')).photos).toEqual([{ fileId: good, check: 'pass' }]);
    const doc = stored(id);
    expect(doc.photos.map((p) => p.check)).toEqual(['pass', 'rejected']);

    const delivered = (await pushes()).filter((p) => doc.photos.some((ph) => ph.traceId === p.event.trace_id));
    expect(delivered).toHaveLength(2);
    expect(delivered.map((p) => [p.status, (p.event.result as { suggest: string }).suggest])).toEqual([
      ['delivered', 'pass'],
      ['delivered', 'risky'],
    ]);
    expect(delivered.map((p) => (p.result as { ok: boolean; data: { check: string } }).data.check)).toEqual([
      'pass',
      'rejected',
    ]);
  });

  it('answers a repeated push ok and keeps the first verdict', async () => {
    const traceId = stored(id).photos[1].traceId!;
    const r = await mediacheck(verdict(traceId, 'pass'));
    expect(r).toEqual({
      ok: true,
      data: expect.objectContaining({ handled: true, changed: false, check: 'rejected' }),
    });
    expect(stored(id).photos.map((p) => p.check)).toEqual(['pass', 'rejected']);
  });

  it('refuses a verdict sent from a mini-program, so nobody can pass their own photo', async () => {
    const traceId = stored(id).photos[1].traceId!;
    for (const who of ['demo-villager', 'demo-center-admin']) {
      const r = await mediacheck(verdict(traceId, 'pass'), who);
      expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    }
    expect(stored(id).photos.map((p) => p.check)).toEqual(['pass', 'rejected']);
  });

  it('checks the proof photos of a fulfilment the same way', async () => {
    await ok(call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
    await ok(call('demo-volunteer', { action: 'accept', id }));
    const proof = await upload('demo-volunteer', 'uploads/demo-volunteer/20260302/fixed.png');
    const bad = await upload('demo-volunteer', 'uploads/demo-volunteer/20260302/risky.png');
    await ok(call('demo-volunteer', { action: 'fulfil', id, note: '路灯已经修好了。', photos: [proof, bad] }));
    expect(stored(id).fulfilment!.photos.map((p) => p.check)).toEqual(['pending', 'pending']);

    const o = await until(id, 'demo-villager', (x) => !x.fulfilment!.photos.some((p) => p.check === 'pending'));
    expect(o.fulfilment!.photos).toEqual([{ fileId: proof, check: 'pass' }]);
    expect(stored(id).fulfilment!.photos.map((p) => p.check)).toEqual(['pass', 'rejected']);
  });

  it('keeps a photo pending on a "review" suggestion, recording it, until a decided verdict comes', async () => {
    const photo = await upload('demo-villager', 'uploads/demo-villager/20260302/doorway.png');
    const other = await post([photo]);
    const traceId = stored(other).photos[0].traceId!;
    // WeChat suggests a person look at it (delivered here ahead of the local cloud's own push).
    const review = verdict(traceId, 'review');
    const r = await mediacheck(review);
    expect(r).toEqual({ ok: true, data: expect.objectContaining({ handled: true, check: 'pending', changed: true }) });
    expect(stored(other).photos[0]).toMatchObject({ check: 'pending', verdict: { suggest: 'review' } });
    // The same push again matches the photo but changes nothing: CloudBase (and the local cloud, see
    // tests/localcloud/semantics.test.ts) still counts it updated, so "changed" must come from the condition.
    const again = await mediacheck(review);
    expect(again).toEqual({
      ok: true,
      data: expect.objectContaining({ handled: true, check: 'pending', changed: false }),
    });
    expect((await get(other, 'demo-villager')).photos).toEqual([{ fileId: photo, check: 'pending' }]);
    // The local cloud's push (pass) then decides it.
    await until(other, 'demo-villager', (x) => x.photos[0]?.check === 'pass');
  });

  it('answers an unknown trace_id ok, so WeChat does not push it again, and changes nothing', async () => {
    const before = cloud.engine.find('orders', { query: {}, limit: 1000 });
    const r = await mediacheck(verdict('local-0000000000000000', 'risky'));
    expect(r).toEqual({ ok: true, data: { handled: false, reason: 'unknown trace_id' } });
    expect(cloud.engine.find('orders', { query: {}, limit: 1000 })).toEqual(before);
  });

  it('answers other pushes ok without acting, and a malformed one with INVALID_ARGUMENT', async () => {
    expect(await mediacheck({ MsgType: 'event', Event: 'user_enter_tempsession' })).toEqual({
      ok: true,
      data: { handled: false, reason: 'not a media check' },
    });
    const bad = await mediacheck({ Event: 'wxa_media_check', trace_id: 'x', result: { suggest: 'maybe' } });
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) });
  });
});

describe('photos on an integral claim and the image check push', () => {
  type Claims = { claims: { id: string; photos: { fileId: string; check: string }[]; photoRejected: boolean }[] };
  const integral = (openid: string, event: Record<string, unknown>) =>
    cloud.call<Result<Record<string, unknown>>>('integral', event, openid);
  const claimDoc = (id: string) =>
    cloud.engine.find('integralClaims', { query: { _id: id } })[0] as unknown as {
      photos: { fileId: string; check: string; traceId: string; verdict?: { suggest: string } }[];
    };

  it('rejects a risky photo: hidden from the station head, the claim marked; the good one shown', async () => {
    const good = await upload('demo-villager', 'uploads/demo-villager/20260302/visit.png');
    const risky = await upload('demo-villager', 'uploads/demo-villager/20260302/risky-visit.png');
    const r = await ok(
      integral('demo-villager', {
        action: 'claim',
        ruleId: 'filial-visit',
        note: '周末陪老母亲去镇上看病，照片在下面',
        photos: [good, risky],
        requestId: `claim-photo-${Math.random().toString(36).slice(2, 10)}`,
      }),
    );
    const id = (r as { id: string }).id;
    expect(claimDoc(id).photos.map((p) => p.check)).toEqual(['pending', 'pending']);

    // The local cloud's pushes decide both; read the queue until they have.
    const deadline = Date.now() + 10_000;
    let mine: Claims['claims'][number] | undefined;
    for (;;) {
      const queue = (await ok(integral('demo-station-head', { action: 'claims', scope: 'queue' }))) as Claims;
      mine = queue.claims.find((x) => x.id === id);
      if (mine?.photoRejected && mine.photos.length === 1) break;
      if (Date.now() > deadline) throw new Error(`claim ${id} not decided in time: ${JSON.stringify(mine)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(mine.photos).toEqual([{ fileId: good, check: 'pass' }]);
    expect(claimDoc(id).photos).toEqual([
      expect.objectContaining({ fileId: good, check: 'pass', verdict: expect.objectContaining({ suggest: 'pass' }) }),
      expect.objectContaining({
        fileId: risky,
        check: 'rejected',
        verdict: expect.objectContaining({ suggest: 'risky' }),
      }),
    ]);

    // The same verdict pushed again changes nothing and says so.
    const again = await mediacheck(verdict(claimDoc(id).photos[1].traceId, 'pass'));
    expect(again).toEqual({
      ok: true,
      data: expect.objectContaining({ handled: true, claimId: id, index: 1, check: 'rejected', changed: false }),
    });
    expect(claimDoc(id).photos[1].check).toBe('rejected');
  });
});
