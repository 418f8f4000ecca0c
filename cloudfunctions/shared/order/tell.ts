/**
 * Who hears of each order event, and in which words: the requester follows their order, the
 * volunteer hears of what is dispatched to them, station heads and admins of what needs them.
 */
import { STATUS_INFO, type OrderEventType } from '../../../typings/order';
import { notify, type Notice } from '../notify/store';
import { holders } from '../user/store';
import { shanghaiTime } from '../notify/domain/fields';
import type { OrderDoc } from './domain/model';

const page = (o: OrderDoc) => `packages/order/detail/index?id=${o._id}`;

/** Who holds a role at a node: the user store's `holders`, or a run's cache of it (the timer). */
export type Holders = (role: string, orgId: string) => Promise<string[]>;

/** The people responsible for the order at its current level. */
export async function responsible(o: OrderDoc, holdersOf: Holders = holders): Promise<string[]> {
  const role = o.level === 'station' ? 'stationHead' : o.level === 'institute' ? 'instituteAdmin' : 'centerAdmin';
  return holdersOf(role, o.ownerOrgId);
}

/** Tells whom it concerns of the order's last event (a retry tells no one twice). */
export async function tell(o: OrderDoc, now: Date, holdersOf: Holders = holders): Promise<void> {
  // One message per event and person: the key is the event's own (its kind and time), so a retried
  // notification is stored once and two events never share a key.
  const last = o.events[o.events.length - 1];
  if (!last) return;
  const news = last.type as OrderEventType;
  const key = `${o._id}:${last.type}:${new Date(last.at).getTime()}`;
  const progress = (title: string, note: string): [string[], Notice] => [
    [o.requester.openid],
    {
      key,
      title,
      body: `“${o.title}”${note}`,
      orderId: o._id,
      template: {
        key: 'progress',
        page: page(o),
        fields: { thing1: o.title, phrase2: STATUS_INFO[o.status].label, thing3: note },
      },
    },
  ];
  const attention = async (what: string, note: string): Promise<[string[], Notice]> => [
    await responsible(o, holdersOf),
    {
      key,
      title: what,
      body: `${o.stationName}：“${o.title}”${note}`,
      orderId: o._id,
      template: {
        key: 'attention',
        page: page(o),
        fields: { thing1: o.title, phrase2: what.slice(0, 5), thing3: o.stationName },
      },
    },
  ];
  const toAssignee = (title: string, body: string): [string[], Notice] => [
    o.assignee ? [o.assignee.openid] : [],
    { key, title, body, orderId: o._id },
  ];

  let who: string[] = [];
  let notice: Notice | undefined;
  switch (news) {
    case 'created':
      [who, notice] = await attention('新需求待审核', '，请尽快审核。');
      break;
    case 'reviewed':
      [who, notice] = progress('需求已通过审核', '已通过审核，正在找志愿者。');
      break;
    case 'rejected':
      [who, notice] = progress('需求未通过审核', `未通过审核：${o.events[o.events.length - 1]?.note ?? ''}`);
      break;
    case 'dispatched':
      who = o.assignee ? [o.assignee.openid] : [];
      notice = {
        key,
        title: '有新任务派给您',
        body: `${o.stationName}：“${o.title}”，请尽快确认接单。`,
        orderId: o._id,
        template: {
          key: 'dispatched',
          page: page(o),
          fields: { thing1: o.title, thing2: o.pointName ?? o.stationName, time3: shanghaiTime(now) },
        },
      };
      break;
    case 'accepted':
    case 'claimed':
      [who, notice] = progress('志愿者已接单', `已由志愿者${o.assignee?.name ?? ''}接单。`);
      break;
    case 'declined':
      [who, notice] = await attention('志愿者推掉了任务', '被推掉了，需要重新派单。');
      break;
    case 'skipped':
      [who, notice] = await attention('派单超时未确认', '派出后志愿者没有按时确认，需要重新派单。');
      break;
    case 'fulfilled':
      [who, notice] = progress('心愿已办好，请评价', '志愿者说已经办好了，请您评价。');
      break;
    case 'rated':
      [who, notice] = toAssignee('您收到了评价', `“${o.title}”收到了${o.rating?.stars ?? ''}星评价。`);
      break;
    case 'autoClosed':
      [who, notice] = toAssignee('任务已自动完成', `“${o.title}”没有人评价，已按规定自动完成。`);
      break;
    case 'cancelled':
      [who, notice] = toAssignee('需求已被取消', `“${o.title}”已被提出人取消，不用再去了。`);
      break;
    case 'reopened': {
      const [heads, n] = await attention('需求被重新打开', '被群众重新打开，说没有真正办好。');
      // A reopened order was fulfilled by someone, whom reopening passed over: they hear of it too.
      const previous = o.passedOver.at(-1);
      who = [...heads, ...(previous ? [previous] : [])];
      notice = n;
      break;
    }
    case 'escalated':
      [who, notice] = await attention('有需求上报到您这里', '超时未办，已上报到您这一级。');
      break;
    case 'overdue':
      [who, notice] = await attention('需求已严重逾期', '在中心仍然超时，已标红。');
      break;
    case 'urged':
      // The volunteer's subscribe message is the one they accepted for their tasks (dispatched).
      who = o.assignee ? [o.assignee.openid] : [];
      notice = {
        key,
        title: '站长催办',
        body: `${last.byName}提醒您：“${o.title}”还没有办好，请抓紧办理；有困难请联系站里。`,
        orderId: o._id,
        template: {
          key: 'dispatched',
          page: page(o),
          fields: { thing1: `催办：${o.title}`, thing2: o.pointName ?? o.stationName, time3: shanghaiTime(now) },
        },
      };
      break;
  }
  if (notice && who.length) await notify(who, notice, now);
}

/**
 * Tells the people responsible of many orders that moved the same way in one timer run (escalated to
 * the same node, or turned red together): one message per person for the group, naming the first
 * orders and the count, instead of one per order. The key is the group's own (event, node, time, first
 * order, count), so a retried run stores it once. A group of one is told as `tell` does.
 */
export async function tellMany(list: readonly OrderDoc[], now: Date, holdersOf: Holders = holders): Promise<void> {
  const o = list[0];
  const last = o?.events[o.events.length - 1];
  if (!o || !last) return;
  if (list.length === 1 || (last.type !== 'escalated' && last.type !== 'overdue')) {
    for (const each of list) await tell(each, now, holdersOf);
    return;
  }
  const escalated = last.type === 'escalated';
  const what = escalated ? '有需求上报到您这里' : '需求已严重逾期';
  const named = list
    .slice(0, 3)
    .map((x) => `“${x.title}”`)
    .join('');
  const notice: Notice = {
    key: `${last.type}:${o.ownerOrgId}:${new Date(last.at).getTime()}:${o._id}:${list.length}`,
    title: what,
    body: `${named}${list.length > 3 ? '等' : ''}，共${list.length}个需求${escalated ? '超时未办，已上报到您这一级。' : '在中心仍然超时，已标红。'}`,
    orderId: o._id,
    template: {
      key: 'attention',
      page: page(o),
      fields: {
        thing1: `${list.length}个需求${escalated ? '超时上报' : '已标红'}`,
        phrase2: what.slice(0, 5),
        thing3: o.stationName,
      },
    },
  };
  const who = await responsible(o, holdersOf);
  if (who.length) await notify(who, notice, now);
}
