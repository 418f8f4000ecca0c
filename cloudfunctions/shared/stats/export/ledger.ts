/**
 * 积分台账与兑换: the points ledger entries of the households under the node in the period, and a
 * second sheet with the redemptions at the node's shops (the points supermarket) in the period.
 */
import { LEDGER_CAUSE_LABELS, REDEMPTION_STATUS_LABELS } from '../../../../typings/integral';
import type { EntryDoc, RedemptionDoc } from '../../integral/domain/model';
import { ledgerUnder } from '../../integral/store';
import { redemptionsUnder } from '../../integral/store-shop';
import type { Exporter } from './job';
import { beijingCell, DATE_TIME, type SheetSpec } from './workbook';

export type EntryRow = Pick<
  EntryDoc,
  '_id' | 'householdId' | 'stationId' | 'cause' | 'points' | 'balanceAfter' | 'note' | 'approvedByName' | 'at'
>;
export type RedemptionRow = Pick<
  RedemptionDoc,
  '_id' | 'householdId' | 'itemName' | 'points' | 'status' | 'pickupPlace' | 'createdAt' | 'pickedAt'
>;

export const LEDGER_SHEET: SheetSpec<EntryRow> = {
  name: '积分台账',
  columns: [
    { header: '记账时间', width: 18, format: DATE_TIME, value: (e) => beijingCell(e.at) },
    { header: '户号', width: 12, value: (e) => e.householdId },
    { header: '所属站点编号', width: 18, value: (e) => e.stationId },
    { header: '事由', width: 14, value: (e) => LEDGER_CAUSE_LABELS[e.cause] ?? e.cause },
    { header: '积分', width: 8, value: (e) => e.points },
    { header: '记账后余额', width: 12, value: (e) => e.balanceAfter },
    { header: '说明', width: 40, value: (e) => e.note },
    { header: '审批人', width: 12, value: (e) => e.approvedByName ?? '' },
    { header: '记账编号', width: 34, value: (e) => e._id },
  ],
};

export const REDEMPTION_SHEET: SheetSpec<RedemptionRow> = {
  name: '积分兑换',
  columns: [
    { header: '兑换时间', width: 18, format: DATE_TIME, value: (r) => beijingCell(r.createdAt) },
    { header: '户号', width: 12, value: (r) => r.householdId },
    { header: '物品', width: 20, value: (r) => r.itemName },
    { header: '积分', width: 8, value: (r) => r.points },
    { header: '状态', width: 22, value: (r) => REDEMPTION_STATUS_LABELS[r.status] ?? r.status },
    { header: '领取地点', width: 24, value: (r) => r.pickupPlace },
    { header: '领取时间', width: 18, format: DATE_TIME, value: (r) => beijingCell(r.pickedAt) },
    { header: '兑换编号', width: 34, value: (r) => r._id },
  ],
};

const ENTRY_FIELDS = ['householdId', 'stationId', 'cause', 'points', 'balanceAfter', 'note', 'approvedByName', 'at'];
const REDEMPTION_FIELDS = ['householdId', 'itemName', 'points', 'status', 'pickupPlace', 'createdAt', 'pickedAt'];

export const exportLedger: Exporter = async (book, { orgId, period }) => {
  const entries = book.sheet(LEDGER_SHEET);
  for await (const page of ledgerUnder(orgId, period.start, period.end, ENTRY_FIELDS)) {
    for (const e of page) entries.add(e);
  }
  const redemptions = book.sheet(REDEMPTION_SHEET);
  for await (const page of redemptionsUnder(orgId, period.start, period.end, REDEMPTION_FIELDS)) {
    for (const r of page) redemptions.add(r);
  }
};
