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
import { allowed, type Access } from '../auth/guard';
import { loadCaller, type CallerRecord } from '../auth/caller';

export interface ActionContext {
  /** The caller's openid, from cloud.getWXContext(); undefined only for timer calls. */
  openid: string;
  /** The time this call started (the local cloud's clock when running locally). */
  now: Date;
  functionName: string;
  action: string;
  /** The caller's stored record and roles, read once on first use. */
  caller(): Promise<CallerRecord>;
}

export interface TimerContext {
  now: Date;
  functionName: string;
}

export interface ActionDef<Req, Res> {
  input: z.ZodMiniType<Req>;
  /** Who may call it: 'anyone' signed in, or holders of these roles whose scope covers the target. */
  access: Access;
  /**
   * The path (center … node) of what the action acts on, for scoped access; null when it does not
   * exist (answered NOT_FOUND to callers who hold a suitable role somewhere, FORBIDDEN to others).
   */
  target?(input: Req, ctx: ActionContext): Promise<string[] | null>;
  run(ctx: ActionContext, input: Req): Promise<Res>;
}

/** Declares an action; the contract types come from typings/api.ts through defineFunction. */
export function action<Req, Res>(def: ActionDef<Req, Res>): ActionDef<Req, Res> {
  return def;
}

type ActionsOf<Spec> = { [A in keyof Spec]: Spec[A] extends { req: infer Q; res: infer S } ? ActionDef<Q, S> : never };

/** Events carry `action` plus the request; wx.cloud.callFunction adds `userInfo`, which we ignore. */
const envelope = z.looseObject({ action: z.string().check(z.minLength(1), z.maxLength(64)) });

export function defineFunction<Spec>(
  functionName: string,
  actions: ActionsOf<Spec>,
): (event: unknown, context?: unknown) => Promise<Result<unknown>> {
  const table = actions as Record<string, ActionDef<unknown, unknown>>;
  return async (event) => {
    // getWXContext() reads process.env, which is only this call's before the first await.
    const { openid } = callerContext();
    const started = now();
    try {
      if (!openid) throw new AppError('UNAUTHENTICATED');
      const head = envelope.safeParse(event);
      if (!head.success) throw new AppError('INVALID_ARGUMENT', '请求格式不对。', describeIssues(head.error));
      const { action: name, userInfo: _userInfo, ...payload } = head.data as { action: string; userInfo?: unknown };
      const def = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
      if (!def) throw new AppError('INVALID_ARGUMENT', '不支持这项操作。', [`unknown action: ${name}`]);
      const input = def.input.safeParse(payload);
      if (!input.success) throw new AppError('INVALID_ARGUMENT', undefined, describeIssues(input.error));
      let caller: Promise<CallerRecord> | undefined;
      const ctx: ActionContext = {
        openid,
        now: started,
        functionName,
        action: name,
        caller: () => (caller ??= loadCaller(openid)),
      };
      await authorize(def, ctx, input.data);
      const data = await def.run(ctx, input.data);
      return { ok: true, data };
    } catch (e) {
      return { ok: false, error: toApiError(e, functionName) };
    }
  };
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

async function authorize(def: ActionDef<unknown, unknown>, ctx: ActionContext, input: unknown): Promise<void> {
  const access = def.access;
  if (access === 'anyone') return;
  const { roles } = await ctx.caller();
  if (!roles.some((r) => access.roles.includes(r.role))) throw new AppError('FORBIDDEN');
  if (!def.target) throw new Error(`${ctx.functionName}.${ctx.action} is scoped but declares no target`);
  const path = await def.target(input, ctx);
  if (path === null) throw new AppError('NOT_FOUND');
  if (!allowed(roles, access, path)) throw new AppError('FORBIDDEN');
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
