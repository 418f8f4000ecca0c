/** Event types for handlers, named for what the templates bind. */
type AnyObject = WechatMiniprogram.IAnyObject;

/** A tap on a node whose `data-*` attributes are `D` (read from currentTarget.dataset). */
export type Tap<D extends AnyObject = AnyObject> = WechatMiniprogram.CustomEvent<AnyObject, AnyObject, D>;

/** A custom component's event with `detail` of type `T`. */
export type Detail<T extends AnyObject> = WechatMiniprogram.CustomEvent<T>;

export type InputEvent = WechatMiniprogram.Input;
