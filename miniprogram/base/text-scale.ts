/**
 * Text that follows the phone: WeChat reports the font size the villager chose (微信 → 设置 → 通用 →
 * 字体大小, and 关怀模式, which moves it to the care-mode size) as wx.getAppBaseInfo().fontSizeScaleFactor
 * (小程序适老化设计指南: fontSizeSetting / the platform's standard size, 17 px on iOS, 16 px on Android).
 * Every page puts it on its root node through `<page-meta page-style="{{wmTextStyle}}">`, and the type
 * tokens in app.wxss (--wm-font-size-*) are multiplied by `--wm-text-scale`.
 *
 * The scale never goes below 1 (the app's type is already large) and stops at the care-mode size on a
 * 375 px phone (23.8 / 17 = 1.4): beyond that a word no longer fits a button. Layouts are checked at
 * 1.3× (tests/pages/screens-large-text.test.ts).
 */
export const MAX_TEXT_SCALE = 1.4;

/** The scale for a font scale factor as WeChat reports it (undefined or nonsense: 1). */
export function textScaleOf(factor: number | undefined): number {
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 1) return 1;
  return Math.round(Math.min(factor, MAX_TEXT_SCALE) * 100) / 100;
}

/** The phone's font scale factor now; 1 where the API is missing (older base libraries, tests). */
function fontScaleFactor(): number | undefined {
  try {
    const info = typeof wx.getAppBaseInfo === 'function' ? wx.getAppBaseInfo() : undefined;
    if (info && typeof info.fontSizeScaleFactor === 'number') return info.fontSizeScaleFactor;
    // Before 2.20.1 only getSystemInfoSync knows the size: measured against iOS's standard 17 px.
    const size = info?.fontSizeSetting ?? wx.getSystemInfoSync?.().fontSizeSetting;
    return typeof size === 'number' ? size / 17 : undefined;
  } catch {
    return undefined;
  }
}

/** The style a page's root node gets: the text scale as a CSS variable. */
export function pageTextStyle(): string {
  return `--wm-text-scale: ${textScaleOf(fontScaleFactor())};`;
}

/**
 * Given to every page by definePage: `wmTextStyle` for the page's `<page-meta>`, read when the page is
 * created and again each time it shows (the villager may have changed the size in WeChat meanwhile).
 */
interface ScaledPage {
  data: { wmTextStyle?: string };
  setData(data: { wmTextStyle: string }): void;
}

function refresh(page: ScaledPage): void {
  const style = pageTextStyle();
  if (style !== page.data.wmTextStyle) page.setData({ wmTextStyle: style });
}

export const textScaleBehavior = Behavior({
  data: { wmTextStyle: pageTextStyle() },
  lifetimes: {
    attached(this: ScaledPage) {
      refresh(this);
    },
  },
  pageLifetimes: {
    show(this: ScaledPage) {
      refresh(this);
    },
  },
});
