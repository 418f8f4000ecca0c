/**
 * Who hears of an activity's changes: when it is cancelled, everyone signed up, by an in-app message
 * and (where they accepted one) a subscribe message, as the order capability tells people.
 */
import { notify } from '../notify/notify';
import type { ActivityDoc } from './model';
import { signupsOf } from './store';

export const activityPage = (id: string) => `packages/activity/detail/index?id=${id}`;

export async function tellCancelled(a: ActivityDoc, now: Date): Promise<void> {
  const reason = a.cancelReason ?? '';
  for (let skip = 0; ; skip += 100) {
    const page = await signupsOf({ activityId: a._id, status: 'signed' }, skip, 100);
    await notify(
      page.map((s) => s.openid),
      {
        key: `activity:${a._id}:cancelled`,
        title: '您报名的活动取消了',
        body: `“${a.title}”已取消，不用去了。原因：${reason}`,
        orderId: null,
        template: {
          key: 'progress',
          page: activityPage(a._id),
          fields: { thing1: a.title, phrase2: '已取消', thing3: reason || '活动取消' },
        },
      },
      now,
    );
    if (page.length < 100) break;
  }
}
