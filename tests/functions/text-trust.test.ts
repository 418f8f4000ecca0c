/**
 * Text is normalised before it is checked and before it is stored (NFKC, format characters stripped,
 * whitespace collapsed), so trivial variants of a rejected word are rejected too; control characters
 * are refused and lengths count what a reader sees.
 */
import type { Result } from '../../typings/errors';
import { demoOrders } from '../helpers/orders';

const demo = demoOrders();

let seq = 0;
const create = (title: string, content = '想请志愿者来帮帮忙，谢谢大家。') =>
  demo.cloud().call<Result<{ id: string }>>(
    'order',
    {
      action: 'create',
      kind: 'wish',
      category: 'charity',
      title,
      content,
      requestId: `text-trust-${(seq += 1)}`,
      acknowledgeSimilar: true,
    },
    'demo-villager',
  );

it.each([
  ['a space', '组织赌 博活动'],
  ['an ideographic space', '组织赌\u3000博活动'],
  ['a zero-width space', '组织赌\u200b博活动'],
  ['a zero-width joiner', '组织赌\u200d博活动'],
  ['a soft hyphen', '组织赌\u00ad博活动'],
  ['a dot', '组织赌.博活动'],
  ['a full-width dot', '组织赌。博活动'],
])('rejects a banned word split by %s, and stores nothing', async (_what, title) => {
  const before = demo.cloud().engine.count('orders', {});
  expect(await create(title)).toMatchObject({ ok: false, error: { code: 'CONTENT_REJECTED' } });
  expect(await create('想要帮忙', `村里想搞${title.slice(2)}，热闹一下`)).toMatchObject({
    ok: false,
    error: { code: 'CONTENT_REJECTED' },
  });
  expect(demo.cloud().engine.count('orders', {})).toBe(before);
});

it('rejects a banned word split by a newline in the content', async () => {
  expect(await create('想要帮忙', '村里想搞赌\n博，热闹一下')).toMatchObject({
    ok: false,
    error: { code: 'CONTENT_REJECTED' },
  });
});

it('stores the normalised text', async () => {
  const r = await create('ＡＢＣ\u3000\u3000帮忙\u200b量血压  ', '老人\u00ad血压高，   想请人\u200d上门量一量。');
  expect(r.ok).toBe(true);
  const id = r.ok ? r.data.id : '';
  const [doc] = demo.cloud().engine.find('orders', { query: { _id: id } });
  expect(doc.title).toBe('ABC 帮忙量血压');
  expect(doc.content).toBe('老人血压高， 想请人上门量一量。');
});

it('counts visible characters and refuses control characters', async () => {
  const before = demo.cloud().engine.count('orders', {});
  for (const title of ['\u200b\u200b\u200b\u200b\u200b', '帮忙\u0000量血压', '帮忙\u202e量血压', '帮忙\u0007量血压']) {
    expect(await create(title)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  }
  expect(demo.cloud().engine.count('orders', {})).toBe(before);
});
