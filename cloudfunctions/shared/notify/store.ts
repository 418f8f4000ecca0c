/**
 * The notify store, owner of `messages` and `subscriptions`. Telling people: every notification is an in-app message (its id fixed by the event, so a retried
 * notification is stored once) and, where the person has accepted a subscribe message of that kind, a
 * subscribeMessage.send that spends one accepted send. A failed send is logged and never fails the
 * action that caused it: the in-app message is already there.
 */
import { isDuplicateKey } from '../runtime/errors';
import { SUBSCRIBE_TEMPLATES, type TemplateKey } from '../../../typings/order';
import { database, listOf, sdk, updatedCount } from '../runtime/sdk';
import { templateData } from './domain/fields';

export interface Notice {
  /** Unique per event and recipient kind: `${orderId}:${eventIndex}`. */
  key: string;
  title: string;
  body: string;
  orderId: string | null;
  /** The subscribe message to send where accepted, with its fields (fitted to WeChat's limits). */
  template?: { key: TemplateKey; page: string; fields: Record<string, string> };
}

export async function notify(openids: readonly string[], notice: Notice, now: Date): Promise<void> {
  const db = database();
  const _ = db.command;
  await Promise.all(
    [...new Set(openids)].filter(Boolean).map(async (openid) => {
      try {
        await db.collection('messages').add({
          data: {
            _id: `${notice.key}:${openid}`.slice(0, 120),
            openid,
            title: notice.title,
            body: notice.body,
            orderId: notice.orderId,
            read: false,
            createdAt: now,
          },
        });
      } catch (e) {
        if (isDuplicateKey(e)) return; // already told: a retry must not send twice
        throw e;
      }
      if (!notice.template) return;
      const t = notice.template;
      const spent = await updatedCount(
        db
          .collection('subscriptions')
          .where({ _id: `${openid}:${t.key}`, count: _.gt(0) })
          .update({ data: { count: _.inc(-1) } }),
      );
      if (spent !== 1) return;
      try {
        await sdk().openapi.subscribeMessage.send({
          touser: openid,
          templateId: SUBSCRIBE_TEMPLATES[t.key],
          page: t.page,
          data: templateData(t.fields),
          miniprogramState: 'formal',
        } as Parameters<ReturnType<typeof sdk>['openapi']['subscribeMessage']['send']>[0]);
      } catch (e) {
        console.warn(`subscribe message ${t.key} to ${openid} failed`, e);
      }
    }),
  );
}

/** Records accepted subscribe messages: one accept is one send. */
export async function addSubscriptions(openid: string, keys: readonly TemplateKey[]): Promise<void> {
  const db = database();
  const _ = db.command;
  for (const key of new Set(keys)) {
    const id = `${openid}:${key}`;
    const n = await updatedCount(
      db
        .collection('subscriptions')
        .where({ _id: id })
        .update({ data: { count: _.inc(1) } }),
    );
    if (n === 1) continue;
    try {
      await db.collection('subscriptions').add({ data: { _id: id, openid, template: key, count: 1 } });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      await db
        .collection('subscriptions')
        .where({ _id: id })
        .update({ data: { count: _.inc(1) } });
    }
  }
}

export interface MessageDoc {
  _id: string;
  openid: string;
  title: string;
  body: string;
  orderId: string | null;
  read: boolean;
  createdAt: Date;
}

/** A page of the person's messages, newest first. */
export async function messagesOf(
  openid: string,
  opts: { unreadOnly?: boolean; skip: number; limit: number },
): Promise<MessageDoc[]> {
  const where: Record<string, unknown> = { openid };
  if (opts.unreadOnly) where.read = false;
  return listOf<MessageDoc>(
    database().collection('messages').where(where).orderBy('createdAt', 'desc').skip(opts.skip).limit(opts.limit),
  );
}

export async function unreadCount(openid: string): Promise<number> {
  return ((await database().collection('messages').where({ openid, read: false }).count()) as { total: number }).total;
}

/** Marks messages read — only the person's own: the openid is part of the condition. */
export async function markRead(openid: string, ids: readonly string[]): Promise<void> {
  await updatedCount(
    database()
      .collection('messages')
      .where({ _id: database().command.in([...ids]), openid })
      .update({ data: { read: true } }),
  );
}

/**
 * A closed account's inbox and subscribe-message grants go: messages were for the person, not the
 * county's records (the orders keep those), and a new person on the same WeChat starts with none.
 */
export async function forget(openid: string): Promise<void> {
  const db = database();
  await db.collection('messages').where({ openid }).remove();
  await db.collection('subscriptions').where({ openid }).remove();
}
