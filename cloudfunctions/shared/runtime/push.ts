/**
 * A function that WeChat's message push (消息推送) calls. A push is a platform call: it may carry the
 * user the event is about (the push's FromUserName) as the caller, but it never comes from a
 * mini-program. So what is refused is a call whose source (getWXContext().SOURCE, set by the platform,
 * following the call chain) starts at a client; without a source, any caller identity is refused.
 * Unlike defineFunction, an unexpected error is thrown, so the invocation fails and a redelivery of
 * the push can make up for it; expected ones (AppError) are answered in the envelope.
 */
import { ERROR_MESSAGES, type Result } from '../../../typings/errors';
import { AppError } from './errors';
import { sdk } from './sdk';

/** Sources that start at a person's mini-program or the IDE (wx.cloud.callFunction). */
export const CLIENT_SOURCES = ['wx_client', 'wx_devtools', 'wx_localdebug', 'wx_crawler'];

export function fromClient(ctx: { OPENID?: unknown; SOURCE?: unknown }): boolean {
  const source = typeof ctx.SOURCE === 'string' ? ctx.SOURCE : '';
  if (!source) return ctx.OPENID !== undefined && ctx.OPENID !== null && ctx.OPENID !== '';
  return CLIENT_SOURCES.includes(source.split(',')[0].trim());
}

export function definePush(
  functionName: string,
  run: (event: unknown) => Promise<unknown>,
): (event: unknown, context?: unknown) => Promise<Result<unknown>> {
  return async (event) => {
    // getWXContext() reads process.env, which is only this call's before the first await.
    const ctx = sdk().getWXContext() as { OPENID?: unknown; SOURCE?: unknown };
    try {
      if (fromClient(ctx)) {
        // Logged with the source, so a deployment can see what a refused call said it came from.
        console.warn(`[${functionName}] refused a call from source ${String(ctx.SOURCE ?? '(none)')}`);
        throw new AppError('FORBIDDEN', '这个功能只能由微信平台调用。');
      }
      console.log(`[${functionName}] push from source ${String(ctx.SOURCE ?? '(none)')}`);
      return { ok: true, data: await run(event) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toApiError() };
      console.error(`[${functionName}] unexpected error`, e);
      throw new Error(ERROR_MESSAGES.INTERNAL);
    }
  };
}
