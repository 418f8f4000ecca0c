/**
 * Opening another page. Some entries lead to features still being built (orders, points): their pages
 * are not in app.json yet, wx.navigateTo fails with "page … is not found", and the villager is told so
 * in plain words instead of seeing nothing happen. URLs come from routes.ts (pageUrl).
 */
import { pageUrl, type TabName } from '../routes';

export const NOT_READY_MESSAGE = '这项功能正在建设中，很快就能用';
export const CANNOT_OPEN_MESSAGE = '页面没有打开，请稍后再试';

function toast(title: string): void {
  wx.showToast({ title, icon: 'none', duration: 2500 });
}

/** Opens a page on top of this one; answers whether it opened. */
export function openPage(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.navigateTo({
      url,
      success: () => resolve(true),
      fail: (err: { errMsg?: string }) => {
        toast(/not found/i.test(err.errMsg ?? '') ? NOT_READY_MESSAGE : CANNOT_OPEN_MESSAGE);
        resolve(false);
      },
    });
  });
}

/** Goes to a tabBar page (首页 / 附近 / 我的). */
export function openTab(tab: TabName): void {
  wx.switchTab({ url: pageUrl(tab), fail: () => toast(CANNOT_OPEN_MESSAGE) });
}

/** Back to the page before, or to `fallback` (a tab) when this page was opened on its own. */
export function goBack(fallback: TabName = 'me'): void {
  if (getCurrentPages().length > 1) {
    wx.navigateBack({ delta: 1, fail: () => openTab(fallback) });
  } else {
    openTab(fallback);
  }
}
