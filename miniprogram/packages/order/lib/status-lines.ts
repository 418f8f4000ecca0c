/**
 * An order's status in words for whoever reads it: the villager who asked (您的需求), the volunteer it
 * is given to (派给您的), or the staff who review and dispatch it. The contract's STATUS_INFO speaks to
 * the requester; the volunteer and the station head read the same order with their own next step.
 */
import type { Order } from '../../../contract/api';
import { STATUS_INFO, type OrderStatus } from '../../../contract/order';

export type Viewer = 'requester' | 'assignee' | 'staff';

export function viewerOf(o: Pick<Order, 'requester' | 'assignee'>, openid: string | undefined): Viewer {
  if (openid && o.requester.openid === openid) return 'requester';
  if (openid && o.assignee?.openid === openid) return 'assignee';
  return 'staff';
}

type Lines = Partial<Record<OrderStatus, (who: string) => string>>;

const ASSIGNEE: Lines = {
  open: () => '这一单还没有人接，您能办就可以接。',
  dispatched: () => '站长把这一单派给了您。能办就点“我来接单”，办不了就点“不接这一单”。',
  accepted: () => '您已经接了这一单，请按约定去办；办好了点“办好了，去销单”。',
  fulfilled: () => '您已经销单，等群众评价。',
  closed: () => '这一单已经办完了，谢谢您！',
  cancelled: () => '群众已经取消了这个需求，不用再办了。',
};

const STAFF: Lines = {
  submitted: () => '等您审核：看看说的是什么事，再点“审核通过”或“不通过”。',
  open: () => '已经审核通过，等您派给合适的志愿者。',
  dispatched: (who) => `已经派给志愿者${who}，等志愿者确认接单。`,
  accepted: (who) => `志愿者${who}已接单，正在办理。`,
  fulfilled: () => '志愿者说已经办好了，等群众评价。',
  closed: () => '这件事已经办完了。',
  rejected: () => '这个需求没有通过审核，原因见下方。',
  cancelled: () => '群众已经取消了这个需求。',
};

const REQUESTER: Lines = {
  dispatched: (who) => `已经派给志愿者${who}，等志愿者确认。`,
  accepted: (who) => `志愿者${who}已接单，正在为您办理。`,
};

const LINES: Record<Viewer, Lines> = { requester: REQUESTER, assignee: ASSIGNEE, staff: STAFF };

/** The line under the status tag, for `viewer`. */
export function statusLine(status: OrderStatus, viewer: Viewer, assigneeName = ''): string {
  const line = LINES[viewer][status];
  return line ? line(assigneeName) : (STATUS_INFO[status]?.hint ?? '');
}

/** The tag's text: an order waiting for this volunteer reads 待您接单; otherwise the contract's label. */
export function statusLabel(status: OrderStatus, viewer: Viewer): string {
  if (viewer === 'assignee' && status === 'dispatched') return '待您接单';
  return STATUS_INFO[status]?.label ?? '';
}
