/**
 * Pages are written as `Component({ methods: { onLoad() {} } })`: valid for pages in WeChat, and the form
 * miniprogram-simulate can load in tests. definePage types them as pages (lifecycle methods such as
 * onLoad and onPullDownRefresh are checked) and keeps data fields starting with `_` out of rendering,
 * so state a page needs but does not show never travels through setData.
 */
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
    options: { pureDataPattern: /^_/, ...options.options },
  });
}
