/**
 * mediacheck: receives WeChat's push of an asynchronous image check (event wxa_media_check, the
 * answer to security.mediaCheckAsync) and sets the photo carrying its trace_id to pass or rejected:
 * an order's photo (its own or the fulfilment's proof), or else an integral record's evidence.
 * Configured in the cloud console's 消息推送 (message push) for MsgType "event", Event
 * "wxa_media_check"; never called by the mini-program (a client call is refused).
 */
import * as z from 'zod/mini';
import { AppError } from '../shared/runtime/errors';
import { now } from '../shared/runtime/clock';
import { describeIssues } from '../shared/runtime/validate';
import { applyVerdict, type AppliedVerdict, type PhotoVerdict, type Suggest } from '../shared/order/photos';
import { applyClaimVerdict, type AppliedClaimVerdict } from '../shared/integral/photos';
import { definePush } from '../shared/runtime/push';

/** A push may arrive a moment before the order that carries its trace_id is stored: look again. */
export const LOOK_AGAIN_MS = [500, 1500];

/** The push for mediaCheckAsync version 2 (version 1 pushes carried isrisky instead of result). */
const push = z.looseObject({
  Event: z.string(),
  trace_id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  result: z.optional(
    z.looseObject({
      suggest: z.enum(['pass', 'review', 'risky']),
      label: z.optional(z.union([z.number(), z.string()])),
    }),
  ),
  isrisky: z.optional(z.number()),
});

export type MediaCheckAnswer =
  | { handled: false; reason: 'not a media check' | 'unknown trace_id' | 'no verdict' }
  | ({ handled: true; traceId: string; suggest: Suggest } & AppliedVerdict)
  | ({ handled: true; traceId: string; suggest: Suggest } & AppliedClaimVerdict);

/** The photo carrying the trace id: on an order first, else on an integral record. */
async function applyAnywhere(v: PhotoVerdict): Promise<AppliedVerdict | AppliedClaimVerdict | null> {
  return (await applyVerdict(v)) ?? (await applyClaimVerdict(v));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const main = definePush('mediacheck', async (event): Promise<MediaCheckAnswer> => {
  const parsed = push.safeParse(event);
  if (!parsed.success) throw new AppError('INVALID_ARGUMENT', undefined, describeIssues(parsed.error));
  const e = parsed.data;
  if (e.Event !== 'wxa_media_check') {
    console.warn(`[mediacheck] ignored a push of event ${e.Event}`);
    return { handled: false, reason: 'not a media check' };
  }
  if (!e.trace_id) throw new AppError('INVALID_ARGUMENT', undefined, ['trace_id: required']);
  const suggest: Suggest | undefined =
    e.result?.suggest ?? (e.isrisky === undefined ? undefined : e.isrisky === 1 ? 'risky' : 'pass');
  if (!suggest) {
    console.warn(`[mediacheck] push for ${e.trace_id} carries no verdict`);
    return { handled: false, reason: 'no verdict' };
  }
  const verdict = {
    traceId: e.trace_id,
    suggest,
    label: e.result?.label === undefined ? null : String(e.result.label),
    at: now(),
  };
  let applied = await applyAnywhere(verdict);
  for (const wait of LOOK_AGAIN_MS) {
    if (applied) break;
    await sleep(wait);
    applied = await applyAnywhere(verdict);
  }
  if (!applied) {
    // Answered ok all the same: a photo we do not hold (an upload whose order was never saved) must
    // not make WeChat push it again and again.
    console.warn(`[mediacheck] no photo carries trace_id ${e.trace_id} (suggest ${suggest})`);
    return { handled: false, reason: 'unknown trace_id' };
  }
  const where =
    'orderId' in applied
      ? `order ${applied.orderId} ${applied.field}[${applied.index}]`
      : `integral record ${applied.claimId} photos[${applied.index}]`;
  console.log(`[mediacheck] ${e.trace_id} ${suggest} → ${where} ${applied.check}`);
  return { handled: true, traceId: e.trace_id, suggest, ...applied };
});
