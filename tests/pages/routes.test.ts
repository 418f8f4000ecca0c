/**
 * The route table (miniprogram/routes.ts) and app.json say the same thing: every named page is
 * registered, every registered page is named, and the tabBar pages are the ones marked as tabs. And
 * no page or component writes a page's URL by hand, so the table is the one place a page moves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MINIPROGRAM_ROOT } from './harness';
import { routeOf, routes } from './wx-fake';

interface RoutesModule {
  PAGES: Record<string, { path: string; tab: boolean }>;
  pageUrl(name: string, query?: Record<string, string | undefined>): string;
}

const { PAGES, pageUrl } = jest.requireActual<RoutesModule>('../../miniprogram/routes');
const app = routes();

test('every page in the route table is registered in app.json, and every registered page is in the table', () => {
  const named = Object.values(PAGES).map((p) => p.path);
  expect(new Set(named).size).toBe(named.length);
  expect([...named].sort()).toEqual([...app.pages].sort());
});

test('the pages marked as tabs are exactly the tabBar pages', () => {
  const tabs = Object.values(PAGES)
    .filter((p) => p.tab)
    .map((p) => p.path);
  expect([...tabs].sort()).toEqual([...app.tabs].sort());
});

test('a URL names its page from the root and carries its query encoded', () => {
  expect(pageUrl('orderDetail', { id: 'ord 1/2' })).toBe('/packages/order/detail/index?id=ord%201%2F2');
  expect(routeOf(pageUrl('orderDetail', { id: 'x' }))).toBe(PAGES.orderDetail.path);
  expect(pageUrl('orderReview')).toBe('/packages/order/review/index');
  expect(pageUrl('appoint', { openid: undefined })).toBe('/packages/admin/appoint/index');
});

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'contract' || e.name === 'miniprogram_npm' ? [] : sources(p);
    return /\.(ts|wxml)$/.test(e.name) ? [p] : [];
  });
}

test('no page or component writes a page URL of its own: they come from the route table', () => {
  const table = path.join(MINIPROGRAM_ROOT, 'routes.ts');
  const literal = /['"`]\/?(pages|packages)\/[\w/-]*index/;
  const offenders = sources(MINIPROGRAM_ROOT)
    .filter((f) => f !== table)
    .filter((f) => literal.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(MINIPROGRAM_ROOT, f));
  expect(offenders).toEqual([]);
});
