/**
 * Components are written with defineComponent, as pages are with definePage (page.ts): a thin typed
 * wrapper around Component() that gives every component the same options once, so each file holds only
 * what is its own (vant-weapp's VantComponent is the model).
 *
 * What every component gets:
 * - the app's styles (app.wxss: wm-button, wm-card, wm-item …) apply inside it, as `apply-shared`;
 * - data fields starting with `_` are never rendered, as on pages.
 *
 * Properties are typed from their declaration: `{ type: String, value: '' as Tab }` makes `this.data.x`
 * a Tab, `{ type: Array, value: [] as PhotoView[] }` a PhotoView[] (miniprogram-api-typings reads the
 * type of `value`). A component whose properties or events carry structured values declares their
 * types in its own `type.ts` (tdesign's model), which the pages that feed it import.
 */
type DataOption = WechatMiniprogram.Component.DataOption;
type PropertyOption = WechatMiniprogram.Component.PropertyOption;
type MethodOption = WechatMiniprogram.Component.MethodOption;
type BehaviorOption = WechatMiniprogram.Component.BehaviorOption;
type NoExtras = Record<string, never>;

export type ComponentOptions<
  TData extends DataOption,
  TProperty extends PropertyOption,
  TMethod extends MethodOption,
  TBehavior extends BehaviorOption = [],
> = WechatMiniprogram.Component.Options<TData, TProperty, TMethod, TBehavior, NoExtras, false>;

/** The options every component shares; a component may still set its own beside them. */
export const SHARED_OPTIONS: WechatMiniprogram.Component.ComponentOptions = {
  styleIsolation: 'apply-shared',
  pureDataPattern: /^_/,
};

export function defineComponent<
  TData extends DataOption,
  TProperty extends PropertyOption,
  TMethod extends MethodOption,
  TBehavior extends BehaviorOption = [],
>(options: ComponentOptions<TData, TProperty, TMethod, TBehavior>): string {
  return Component<TData, TProperty, TMethod, TBehavior, NoExtras, false>({
    ...options,
    options: { ...SHARED_OPTIONS, ...options.options },
  });
}
