/**
 * Text follows the font size the villager chose in WeChat (字体大小, 关怀模式): each page hands the scale
 * WeChat reports (wx.getAppBaseInfo().fontSizeScaleFactor) to its root node through <page-meta
 * page-style>, where app.wxss multiplies the type tokens by it. Never below 1, at most the care-mode
 * size of a 375 px phone (1.4). How the screens look at 1.3× is screens-large-text.test.ts.
 */
import { closeAllPages, exists, hidePage, launchAs, openPage, showPage, waitFor, type SimPage } from './harness';
import { pageMetaOf } from './page-meta';
import { wechatSettings } from './wx-fake';

/** What the page's <page-meta> puts on the page's root node. */
const pageStyle = (page: SimPage): string | undefined =>
  pageMetaOf((page.dom as unknown as { querySelector(s: string): unknown }).querySelector('wx-page-meta')).pageStyle;

async function openHome(): Promise<SimPage> {
  launchAs('demo-villager');
  const page = openPage('pages/home/index');
  await waitFor('home', page, () => exists(page, '#greeting'));
  return page;
}

afterEach(() => {
  closeAllPages();
  wechatSettings.fontSizeScaleFactor = 1;
});

test.each([
  { what: 'the standard size', factor: 1, expected: '1' },
  { what: 'one step smaller (the app’s type is large already)', factor: 17 / 18, expected: '1' },
  { what: '1.3×', factor: 1.3, expected: '1.3' },
  { what: 'care mode (关怀模式) on a 375 px iPhone, 23.8 px', factor: 23.8 / 17, expected: '1.4' },
  { what: 'the largest Android size, held at the care-mode size', factor: 2, expected: '1.4' },
])('$what: the page gets --wm-text-scale $expected', async ({ factor, expected }) => {
  wechatSettings.fontSizeScaleFactor = factor;
  const page = await openHome();

  expect(pageStyle(page)).toBe(`--wm-text-scale: ${expected};`);
});

test('a size changed in WeChat while the page was away shows when it comes back', async () => {
  const page = await openHome();
  expect(pageStyle(page)).toBe('--wm-text-scale: 1;');

  hidePage(page);
  wechatSettings.fontSizeScaleFactor = 1.3;
  showPage(page);

  await waitFor('the new size', page, () => pageStyle(page) === '--wm-text-scale: 1.3;');
});
