/**
 * The shape of every cloud function: read the caller from the platform context, validate the event,
 * route the action, answer the envelope. Nothing thrown inside an action escapes: expected failures
 * (AppError) become `{ ok: false, error }`, anything else becomes INTERNAL and is logged.
 */
import * as z from 'zod/mini';
import { ERROR_MESSAGES, type Result } from '../../../typings/errors';
import { AppError } from './errors';
import { callerContext } from './sdk';
import { now } from './clock';
import { describeIssues } from './validate';
import { loadCaller, type CallerRecord } from '../auth/caller';
import { authorize, type ActionContext, type ActionDef } from './action';

export { action, documentAction, type ActionContext, type Granted, type RoleAccess, type Scope } from './action';

export interface TimerContext {
  now: Date;
  functionName: string;
}

type ActionsOf<Spec> = { [A in keyof Spec]: Spec[A] extends { req: infer Q; res: infer S } ? ActionDef<Q, S> : never };

/** Events carry `action` plus the request; wx.cloud.callFunction adds `userInfo`, which we ignore. */
const envelope = z.looseObject({ action: z.string().check(z.minLength(1), z.maxLength(64)) });

/** A function's entry; `actions` exposes the definitions (their declared access) to the permission tests. */
export type FunctionEntry = ((event: unknown, context?: unknown) => Promise<Result<unknown>>) & {
  actions: Readonly<Record<string, ActionDef<unknown, unknown>>>;
};

export function defineFunction<Spec>(functionName: string, actions: ActionsOf<Spec>): FunctionEntry {
  const table = actions as Record<string, ActionDef<unknown, unknown>>;
  const main = async (event: unknown): Promise<Result<unknown>> => {
    // getWXContext() reads process.env, which is only this call's before the first await.
    const { openid } = callerContext();
    const started = now();
    try {
      const head = envelope.safeParse(event);
      const named = head.success ? (head.data as { action: string }).action : undefined;
      const anonymous =
        named !== undefined &&
        Object.prototype.hasOwnProperty.call(table, named) &&
        table[named].access === 'anonymous';
      if (!openid && !anonymous) throw new AppError('UNAUTHENTICATED');
      if (!head.success) throw new AppError('INVALID_ARGUMENT', '请求格式不对。', describeIssues(head.error));
      const { action: name, userInfo: _userInfo, ...payload } = head.data as { action: string; userInfo?: unknown };
      const def = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
      if (!def) throw new AppError('INVALID_ARGUMENT', '不支持这项操作。', [`unknown action: ${name}`]);
      const input = def.input.safeParse(payload);
      if (!input.success) throw new AppError('INVALID_ARGUMENT', undefined, describeIssues(input.error));
      let caller: Promise<CallerRecord> | undefined;
      const ctx: ActionContext = {
        openid: openid ?? '',
        now: started,
        functionName,
        action: name,
        caller: () => (caller ??= loadCaller(openid ?? '')),
      };
      const granted = await authorize(def.access, ctx, input.data);
      const data = await def.run(ctx, input.data, granted as never);
      return { ok: true, data };
    } catch (e) {
      return { ok: false, error: toApiError(e, functionName) };
    }
  };
  return Object.assign(main, { actions: table });
}

/** A timer-triggered function: accepts only calls from the platform, never from a user. */
export function defineTimer(
  functionName: string,
  run: (ctx: TimerContext, event: unknown) => Promise<unknown>,
): (event: unknown, context?: unknown) => Promise<Result<unknown>> {
  return async (event) => {
    const { openid } = callerContext();
    const started = now();
    try {
      if (openid) throw new AppError('FORBIDDEN', '这个功能只能由系统定时运行。');
      return { ok: true, data: await run({ now: started, functionName }, event) };
    } catch (e) {
      return { ok: false, error: toApiError(e, functionName) };
    }
  };
}

/** CloudBase's request and concurrency quotas (-501003, -501004) and timeouts (-501002): try again later. */
const BUSY = new Set([-501002, -501003, -501004]);

function toApiError(e: unknown, functionName: string) {
  if (e instanceof AppError) return e.toApiError();
  if (BUSY.has(Number((e as { errCode?: unknown } | null)?.errCode))) {
    console.warn(`[${functionName}] platform busy`, e);
    return { code: 'UNAVAILABLE' as const, message: ERROR_MESSAGES.UNAVAILABLE };
  }
  console.error(`[${functionName}] unexpected error`, e);
  return { code: 'INTERNAL' as const, message: ERROR_MESSAGES.INTERNAL };
}
