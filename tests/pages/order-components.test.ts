/**
 * The order components on their own (miniprogram-simulate, WeChat's wcc), and the view helpers the
 * order pages share: photos still being checked say 图片审核中, statuses carry their label and colour
 * and a red 已逾期, stars emit the value tapped (and not when read-only). How times and distances read
 * is tested in tests/domain/format.test.ts.
 */
import path from 'node:path';
import { CATEGORY_HINTS, ORDER_STATUSES, STATUS_INFO } from '../../typings/order';
import type { OrderEvent } from '../../typings/api';
import { MINIPROGRAM_ROOT, simulate, textOf, waitFor, type SimPage } from './harness';

interface Rendered extends SimPage {
  addEventListener(event: string, handler: (e: { detail: unknown }) => void): void;
  setData(data: Record<string, unknown>): void;
}

const dom = globalThis as unknown as { document: { createElement(tag: string): unknown } };
const ids = new Map<string, string>();

function render(name: string, properties: Record<string, unknown>): Rendered {
  let id = ids.get(name);
  if (!id) {
    id = simulate.load(path.join(MINIPROGRAM_ROOT, 'components', name, 'index'), { rootPath: MINIPROGRAM_ROOT });
    ids.set(name, id);
  }
  const c = simulate.render(id, properties) as Rendered | undefined;
  if (!c) throw new Error(`could not render ${name}`);
  c.attach(dom.document.createElement('parent-wrapper'));
  return c;
}

interface ViewModule {
  eventTitle(e: OrderEvent): string;
  photoViews(photos: { fileId: string; check: 'pending' | 'pass' | 'rejected' }[]): {
    src: string;
    pending: boolean;
  }[];
}
const view = jest.requireActual<ViewModule>('../../miniprogram/packages/order/lib/view');

test('photo-gallery shows checked photos as pictures and the rest as 图片审核中; rejected ones not at all', async () => {
  const photos = view.photoViews([
    { fileId: 'cloud://env.bucket/orders/a.png', check: 'pass' },
    { fileId: 'cloud://env.bucket/orders/b.png', check: 'pending' },
    { fileId: 'cloud://env.bucket/orders/c.png', check: 'rejected' },
  ]);
  const c = render('photo-gallery', { photos });
  await waitFor('the photos', c, () => c.querySelectorAll('.wm-photo-gallery__item').length === 2);

  const images = c.querySelectorAll('.wm-photo-gallery__image');
  expect(images).toHaveLength(1);
  expect(c.querySelectorAll('.wm-photo-gallery__pending')).toHaveLength(1);
  expect(textOf(c, '.wm-photo-gallery__pending')).toBe('图片审核中');
  expect(photos.map((p) => p.src)).toEqual(['cloud://env.bucket/orders/a.png', '']);
});

test('status-tag labels every status from the contract and adds a red 已逾期 when overdue', async () => {
  const c = render('status-tag', { status: 'open', overdue: false });
  await waitFor('the label', c, () => textOf(c, '.wm-status-tag') === '待派单');
  for (const status of ORDER_STATUSES) {
    c.setData({ status, overdue: false });
    await waitFor(`the label of ${status}`, c, () => textOf(c, '.wm-status-tag') === STATUS_INFO[status].label);
  }
  c.setData({ status: 'open', overdue: true });
  await waitFor('the red flag', c, () => c.querySelector('.wm-status-tag__label--overdue') !== undefined);
  expect(textOf(c, '.wm-status-tag')).toBe('待派单已逾期');
  // A page may say it for its reader: the volunteer's 待您接单.
  c.setData({ status: 'dispatched', overdue: false, label: '待您接单' });
  await waitFor('the reader’s label', c, () => textOf(c, '.wm-status-tag') === '待您接单');
});

test('star-rating emits the star tapped, and nothing when read-only', async () => {
  const picked: unknown[] = [];
  const c = render('star-rating', { value: 0 });
  c.addEventListener('change', (e) => picked.push(e.detail));
  await waitFor('the prompt', c, () => textOf(c, '.wm-star-rating__word') === '请点星星打分');

  c.querySelector('#star-4')?.dispatchEvent('tap');
  await waitFor('the change', c, () => picked.length === 1);
  expect(picked).toEqual([{ value: 4 }]);

  c.setData({ value: 4, readonly: true });
  await waitFor('four stars', c, () => textOf(c, '.wm-star-rating__word') === '4星 · 满意');
  c.querySelector('#star-1')?.dispatchEvent('tap');
  await simulate.sleep(50);
  expect(picked).toHaveLength(1);
});

test('the timeline names each event in plain words, a turned-down review as such', () => {
  const at = '2026-11-29T01:00:00Z';
  const e = (type: string, to: OrderEvent['to']): OrderEvent => ({
    from: null,
    to,
    type,
    by: 'x',
    byName: '李站长',
    at,
  });
  expect(view.eventTitle(e('created', 'submitted'))).toBe('提交了需求');
  expect(view.eventTitle(e('reviewed', 'open'))).toBe('审核通过');
  expect(view.eventTitle(e('reviewed', 'rejected'))).toBe('审核没有通过');
  expect(view.eventTitle(e('escalated', 'open'))).toBe('超时没人办，已上报上一级');
  // An event type the page does not know yet still says where the order went.
  expect(view.eventTitle(e('somethingNew', 'accepted'))).toBe('服务中');
});

test('category-picker lays the ten services out as tiles with a mark, and says what the chosen one is for', async () => {
  const picked: unknown[] = [];
  const c = render('category-picker', { value: '' });
  c.addEventListener('change', (e) => picked.push(e.detail));
  await waitFor('the tiles', c, () => c.querySelectorAll('.wm-category-picker__card').length === 10);
  expect(textOf(c, '#category-law')).toBe('法送法律');
  expect(c.querySelector('#category-hint')).toBeUndefined();
  // The tiles sit in TDesign's grid, two a row: each cell is half the width.
  const grid = c.dom as unknown as { querySelectorAll(s: string): ArrayLike<{ style: { width: string } }> };
  const cells = Array.from(grid.querySelectorAll('.t-grid-item--t-grid-item'));
  expect(cells.map((cell) => cell.style.width)).toEqual(Array(10).fill('50%'));

  // A tap on a tile, inside the library's cell, still reaches the picker.
  c.querySelector('#category-health')?.dispatchEvent('tap');
  await waitFor('the change', c, () => picked.length === 1);
  expect(picked).toEqual([{ value: 'health' }]);
  c.setData({ value: 'health' });
  await waitFor('the hint', c, () => textOf(c, '#category-hint') === CATEGORY_HINTS.health);
  expect(c.querySelector('#category-health.wm-category-picker__card--selected')).toBeDefined();
  expect(c.querySelectorAll('.wm-category-picker__card--selected')).toHaveLength(1);
});
