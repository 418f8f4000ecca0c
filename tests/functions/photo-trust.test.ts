/**
 * A photo on an order, a proof or an integral claim is the caller's own upload: uploads go to
 * `uploads/<openid>/…`, the functions take only fileIDs under the caller's own openid, and storage lets
 * nobody write over a file another user uploaded (the local cloud as the deployed storage rule does).
 */
import type { Result } from '../../typings/errors';
import { ownUpload } from '../../cloudfunctions/shared/order/photos';
import { integralClient, VILLAGER } from '../helpers/integral';
import { demoOrders } from '../helpers/orders';

const { cloud, orders } = demoOrders();
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** An upload as the mini-program makes it in local development: the caller in x-wx-openid. */
async function upload(openid: string, cloudPath: string, content: Buffer = PNG) {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([content], { type: 'image/png' }), 'photo.png');
  const res = await fetch(`${cloud().url}/_storage/upload`, {
    method: 'POST',
    headers: { 'x-wx-openid': openid },
    body: form,
  });
  const json = (await res.json()) as { fileID?: string };
  return { status: res.status, fileID: json.fileID ?? '' };
}

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('photos are the caller’s own uploads', () => {
  it('knows an own upload by the openid that leads its path', () => {
    expect(ownUpload('cloud://env.bucket/uploads/u1/20260302/a.jpg', 'u1')).toBe(true);
    expect(ownUpload('cloud://env.bucket/uploads/u2/20260302/a.jpg', 'u1')).toBe(false);
    expect(ownUpload('cloud://env.bucket/uploads/u1/../u2/a.jpg', 'u1')).toBe(false);
    expect(ownUpload('cloud://env.bucket/uploads/u1', 'u1')).toBe(false);
    expect(ownUpload('cloud://env.bucket/orders/u1/a.jpg', 'u1')).toBe(false);
    expect(ownUpload('https://example.com/uploads/u1/a.jpg', 'u1')).toBe(false);
  });

  it('lets nobody write over a file another user uploaded, and the uploader may replace their own', async () => {
    const path = 'uploads/demo-villager/20260302/orders-lamp.png';
    const first = await upload('demo-villager', path);
    expect(first.status).toBe(200);
    const stolen = await upload('demo-vil-1-1', path, Buffer.from('not the lamp'));
    expect(stolen.status).toBe(403);
    expect(cloud().storage.read(path)).toEqual(PNG);
    expect((await upload('demo-villager', path)).status).toBe(200);
  });

  it('refuses an order, and a proof, with a photo someone else uploaded, and stores nothing', async () => {
    const theirs = (await upload('demo-vil-1-1', 'uploads/demo-vil-1-1/20260302/orders-door.png')).fileID;
    const nowhere = (await upload('demo-villager', 'orders/20260302/door.png')).fileID;
    const mine = (await upload('demo-villager', 'uploads/demo-villager/20260302/orders-door.png')).fileID;
    const before = cloud().engine.count('orders', {});
    for (const photos of [[theirs], [mine, theirs], [nowhere]]) {
      const r = await orders().call('demo-villager', {
        action: 'create',
        kind: 'wish',
        category: 'health',
        title: '门坏了想请人修',
        content: '家里大门的合页坏了，关不上。',
        requestId: `photo-trust-${photos.length}-${Math.round(Math.random() * 1e9)}`,
        acknowledgeSimilar: true,
        photos,
      });
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/自己上传/) },
      });
    }
    expect(cloud().engine.count('orders', {})).toBe(before);
    const id = await orders().post('demo-villager', { photos: [mine] });
    expect((await orders().get('demo-villager', id)).photos).toHaveLength(1);

    // The volunteer's proof: their own photo, not the villager's.
    await orders().ok(orders().call('demo-station-head', { action: 'review', id, approve: true }));
    await orders().ok(orders().call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
    await orders().ok(orders().call('demo-volunteer', { action: 'accept', id }));
    const fulfil = (photos: string[]) =>
      orders().call('demo-volunteer', { action: 'fulfil', id, note: '合页已经换好了。', photos });
    expect(code(await fulfil([mine]))).toBe('INVALID_ARGUMENT');
    expect((await orders().get('demo-villager', id)).status).toBe('accepted');
    const proof = (await upload('demo-volunteer', 'uploads/demo-volunteer/20260302/proofs-door.png')).fileID;
    expect(code(await fulfil([proof]))).toBe('ok');
  });

  it('refuses an integral claim with a photo someone else uploaded', async () => {
    const c = integralClient(cloud());
    const theirs = (await upload('demo-vil-1-1', 'uploads/demo-vil-1-1/20260302/integral-visit.png')).fileID;
    const r = await c.call(VILLAGER, {
      action: 'claim',
      ruleId: 'filial-visit',
      note: '周末陪老母亲去镇上看病',
      photos: [theirs],
      requestId: c.requestId(),
    });
    expect(code(r)).toBe('INVALID_ARGUMENT');
  });
});
