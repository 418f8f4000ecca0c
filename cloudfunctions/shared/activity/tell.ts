/**
 * Who hears of an activity's changes: everyone signed up, when it is cancelled or its time moves, by an
 * in-app message and (where they accepted one) a subscribe message, as the order capability tells
 * people. Each message's key is the change's own, so a retried action tells each person once.
 */
import { notify } from '../notify/store';
import { shanghaiTime } from '../notify/domain/fields';
import type { ActivityDoc } from './domain/model';
import { signupsOf } from './store';

export const activityPage = (id: string) => `packages/activity/detail/index?id=${id}`;

async function tellSignedUp(
  a: ActivityDoc,
  key: string,
  title: string,
  body: string,
  phrase: string,
  note: string,
  now: Date,
) {
  for (let skip = 0; ; skip += 100) {
    const page = await signupsOf({ activityId: a._id, status: 'signed' }, skip, 100);
    await notify(
      page.map((s) => s.openid),
      {
        key,
        title,
        body,
        orderId: null,
        template: {
          key: 'progress',
          page: activityPage(a._id),
          fields: { thing1: a.title, phrase2: phrase, thing3: note },
        },
      },
      now,
    );
    if (page.length < 100) break;
  }
}

export async function tellCancelled(a: ActivityDoc, now: Date): Promise<void> {
  const reason = a.cancelReason ?? '';
  await tellSignedUp(
    a,
    `activity:${a._id}:cancelled`,
    '您报名的活动取消了',
    `“${a.title}”已取消，不用去了。原因：${reason}`,
    '已取消',
    reason || '活动取消',
    now,
  );
}

/** The time moved: those signed up hear the new one. */
export async function tellRescheduled(a: ActivityDoc, now: Date): Promise<void> {
  const when = shanghaiTime(new Date(a.startAt));
  const key = `activity:${a._id}:moved:${new Date(a.startAt).getTime()}:${new Date(a.endAt).getTime()}`;
  await tellSignedUp(
    a,
    key,
    '您报名的活动改时间了',
    `“${a.title}”改到 ${when} 开始，请按新时间参加。`,
    '改时间',
    `改到${when}`,
    now,
  );
}
