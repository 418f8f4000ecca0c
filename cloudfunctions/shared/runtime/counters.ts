/**
 * Per-person daily allowances (posts per day, failed household-number tries per day): a counter raised
 * only while under the limit, by a conditional update, so concurrent requests can never overshoot it.
 * Days are Asia/Shanghai calendar days.
 */
import { isDuplicateKey } from './errors';
import { shanghaiDay } from '../../../typings/time';
import { database, listOf, updatedCount } from './sdk';

const counterId = (kind: string, openid: string, at: Date) => `${kind}:${openid}:${shanghaiDay(at)}`;

/**
 * Spends one of today's allowance of `kind`; false when it is used up. With a `key` (a request's
 * idempotency key) the spend is the request's, once: a concurrent retry of the same request finds the
 * key among today's spends and goes on without spending again.
 */
export async function spendToday(
  kind: string,
  openid: string,
  limit: number,
  at: Date,
  key?: string,
): Promise<boolean> {
  const id = counterId(kind, openid, at);
  const counters = database().collection('counters');
  const _ = database().command;
  const raise = () =>
    updatedCount(
      counters
        .where({ _id: id, n: _.lt(limit), ...(key ? { keys: _.neq(key) } : {}) })
        .update({ data: { n: _.inc(1), at, ...(key ? { keys: _.push([key]) } : {}) } }),
    );
  const spentBefore = async () =>
    key !== undefined && (await listOf(counters.where({ _id: id, keys: key }).limit(1))).length === 1;
  if ((await raise()) === 1 || (await spentBefore())) return true;
  try {
    await counters.add({ data: { _id: id, n: 1, at, keys: key ? [key] : [] } });
    return limit >= 1;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    return (await raise()) === 1 || (await spentBefore());
  }
}

/** Gives back one of today's allowance (the thing it was spent on did not happen); with a `key`, that spend's. */
export async function refundToday(kind: string, openid: string, at: Date, key?: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection('counters')
    .where({ _id: counterId(kind, openid, at), n: _.gt(0), ...(key ? { keys: key } : {}) })
    .update({ data: { n: _.inc(-1), ...(key ? { keys: _.pull(key) } : {}) } });
}

/**
 * A standing count (e.g. the holders of a role the county cannot run without), started from `initial`
 * the first time it is used: `take` lowers it only while it stays at or above `floor`, by a conditional
 * update, so two concurrent takes can never both pass the last one.
 */
export async function takeAbove(id: string, floor: number, initial: () => Promise<number>): Promise<boolean> {
  const counters = database().collection('counters');
  const _ = database().command;
  try {
    await counters.add({ data: { _id: id, n: await initial() } });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  return (await updatedCount(counters.where({ _id: id, n: _.gt(floor) }).update({ data: { n: _.inc(-1) } }))) === 1;
}

/** Raises a standing count (a holder added, or a take given back); nothing when it was never started. */
export async function giveBack(id: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection('counters')
    .where({ _id: id })
    .update({ data: { n: _.inc(1) } });
}
