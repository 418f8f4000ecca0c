/**
 * Pages are written as `Component({ methods: { onLoad() {} } })`: valid for pages in WeChat, and the form
 * miniprogram-simulate can load in tests. definePage types them as pages (lifecycle methods such as
 * onLoad and onPullDownRefresh are checked) and keeps data fields starting with `_` out of rendering,
 * so state a page needs but does not show never travels through setData. Every page also gets
 * `wmTextStyle` (text-scale.ts) for its `<page-meta page-style>`: its text follows the phone's font size.
 */
import { textScaleBehavior } from './text-scale';

type DataOption = WechatMiniprogram.Component.DataOption;
type MethodOption = WechatMiniprogram.Component.MethodOption;
type NoProperties = Record<string, never>;
type NoBehaviors = [];
type NoExtras = Record<string, never>;

export type PageOptions<TData extends DataOption, TMethod extends MethodOption> = WechatMiniprogram.Component.Options<
  TData,
  NoProperties,
  TMethod,
  NoBehaviors,
  NoExtras,
  true
>;

export function definePage<TData extends DataOption, TMethod extends MethodOption>(
  options: PageOptions<TData, TMethod>,
): string {
  return Component<TData, NoProperties, TMethod, NoBehaviors, NoExtras, true>({
    ...options,
    // Typed as no behaviors: the one given to all pages adds only wmTextStyle, which WXML reads, not code.
    behaviors: [textScaleBehavior] as unknown as NoBehaviors,
    options: { pureDataPattern: /^_/, ...options.options },
  });
}
