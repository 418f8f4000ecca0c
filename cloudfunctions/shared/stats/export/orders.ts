/**
 * 工单明细: the orders under the node posted in the period, one row each, in posting order. Phones are
 * masked (138****0001): the requester's from the order's contact, the volunteer's from their record,
 * looked up once per page for the page's new volunteers.
 */
import { CATEGORY_LABELS } from '../../../../typings/domain';
import { ORDER_KIND_INFO, STATUS_INFO, type OrderStatus } from '../../../../typings/order';
import type { OrderDoc } from '../../order/domain/model';
import { ordersUnder } from '../../order/store-records';
import { volunteerContacts } from '../../user/store-lists';
import type { Exporter } from './job';
import { maskPhone } from './period';
import { opened } from '../../runtime/phones';
import { beijingCell, DATE_TIME, type SheetSpec } from './workbook';

/** Only what the sheet shows: the timeline's types, statuses and times, not its notes and names. */
const FIELDS = [
  'kind',
  'category',
  'title',
  'status',
  'stationName',
  'createdAt',
  'fulfilledAt',
  'rating.stars',
  'contact.phone',
  'assignee.openid',
  'events.type',
  'events.to',
  'events.at',
];

export type OrderRow = Pick<
  OrderDoc,
  | '_id'
  | 'kind'
  | 'category'
  | 'title'
  | 'status'
  | 'stationName'
  | 'createdAt'
  | 'fulfilledAt'
  | 'rating'
  | 'contact'
  | 'assignee'
  | 'events'
> & { volunteerPhone: string | null };

const FINAL: readonly OrderStatus[] = ['closed', 'rejected', 'cancelled'];

/** When a volunteer last took the order on (accepted or claimed from the hall). */
export const acceptedAt = (o: Pick<OrderDoc, 'events'>): Date | null =>
  [...(o.events ?? [])].reverse().find((e) => e.type === 'accepted' || e.type === 'claimed')?.at ?? null;

/** When the order reached its final status (closed, rejected or cancelled); null while still open. */
export const closedAt = (o: Pick<OrderDoc, 'events' | 'status'>): Date | null =>
  FINAL.includes(o.status) ? ([...(o.events ?? [])].reverse().find((e) => e.to === o.status)?.at ?? null) : null;

export const ORDER_SHEET: SheetSpec<OrderRow> = {
  name: '工单明细',
  columns: [
    { header: '工单编号', width: 34, value: (o) => o._id },
    { header: '类型', width: 10, value: (o) => ORDER_KIND_INFO[o.kind]?.label ?? o.kind },
    { header: '服务类别', width: 10, value: (o) => CATEGORY_LABELS[o.category] ?? o.category },
    { header: '标题', width: 30, value: (o) => o.title },
    { header: '状态', width: 10, value: (o) => STATUS_INFO[o.status]?.label ?? o.status },
    { header: '所属站点', width: 28, value: (o) => o.stationName },
    { header: '提交时间', width: 18, format: DATE_TIME, value: (o) => beijingCell(o.createdAt) },
    { header: '接单时间', width: 18, format: DATE_TIME, value: (o) => beijingCell(acceptedAt(o)) },
    { header: '办结时间', width: 18, format: DATE_TIME, value: (o) => beijingCell(o.fulfilledAt) },
    { header: '关闭时间', width: 18, format: DATE_TIME, value: (o) => beijingCell(closedAt(o)) },
    { header: '评价星级', width: 10, value: (o) => o.rating?.stars ?? null },
    { header: '群众手机', width: 14, value: (o) => maskPhone(opened(o.contact?.phone)) },
    { header: '志愿者手机', width: 14, value: (o) => maskPhone(opened(o.volunteerPhone)) },
  ],
};

export const exportOrders: Exporter = async (book, { orgId, period }) => {
  const sheet = book.sheet(ORDER_SHEET);
  const phones = new Map<string, string | null>();
  for await (const page of ordersUnder(orgId, period.start, period.end, FIELDS)) {
    const missing = [
      ...new Set(page.map((o) => o.assignee?.openid).filter((id): id is string => !!id && !phones.has(id))),
    ];
    const found = await volunteerContacts(missing);
    for (const id of missing) phones.set(id, found.get(id)?.phone ?? null);
    for (const o of page) {
      sheet.add({ ...o, volunteerPhone: o.assignee ? (phones.get(o.assignee.openid) ?? null) : null });
    }
  }
};
