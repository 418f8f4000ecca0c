/**
 * stats.export through the local cloud: each kind exported for a scope, the workbook fetched from its
 * temporary URL and read back with exceljs — frozen Chinese header row, column widths, the rows equal to
 * the seeded records, phones masked, a station head's scope kept to their village; bad input and
 * callers without the role get their typed errors and nothing is written to storage.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { column, readBookAt, storedFiles, type SheetRead } from '../helpers/workbook';
import { openPhone, parseKey } from '../../cloudfunctions/shared/user/domain/phone';
import { phoneKeyEnv } from '../../localcloud/phonekeys';
import { maskPhone, periodOf, type DayRange } from '../../cloudfunctions/shared/stats/export/period';
import { acceptedAt, closedAt, ORDER_SHEET } from '../../cloudfunctions/shared/stats/export/orders';
import { VOLUNTEER_SHEET } from '../../cloudfunctions/shared/stats/export/volunteers';
import { ACTIVITY_SHEET, ROSTER_SHEET } from '../../cloudfunctions/shared/stats/export/activities';
import { LEDGER_SHEET, REDEMPTION_SHEET } from '../../cloudfunctions/shared/stats/export/ledger';
import { CATEGORY_SHEET, FIGURE_SHEET, TREND_SHEET } from '../../cloudfunctions/shared/stats/export/figures';
import { CATEGORY_LABELS } from '../../typings/domain';
import { STATUS_INFO } from '../../typings/order';
import { shanghaiClock, shanghaiDay } from '../../typings/time';
import type { Result } from '../../typings/errors';
import type { StatsApi } from '../../typings/stats';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { orderDoc } from '../../scripts/lib/bench/data';
import { CENTER_ID, DEMO_INSTITUTE_ID, DEMO_STATION_ID, DEMO_STATION_NAME } from '../../localcloud/seed/network';

type Answer = StatsApi['export']['res'];
type Overview = StatsApi['overview']['res'];
type Doc = Record<string, unknown> & { _id: string };

let cloud: TestCloud;
let period: DayRange;
const CENTER = 'demo-center-admin';
const INSTITUTE = 'demo-institute-admin';
const HEAD = 'demo-station-head';
const VILLAGER = 'demo-villager';

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  const today = shanghaiDay(cloud.clock.now());
  const p = periodOf({ from: `${Number(today.slice(0, 4)) - 1}-01-01`, to: today }, new Date(cloud.clock.now()));
  if ('refusal' in p) throw new Error(p.refusal);
  period = p;
});

afterAll(async () => {
  await cloud.close();
});

const exportAs = (openid: string, req: Record<string, unknown>) =>
  cloud.call<Result<Answer>>('stats', { action: 'export', ...req }, openid);

async function exported(openid: string, req: Record<string, unknown>): Promise<{ answer: Answer; book: SheetRead[] }> {
  const r = await exportAs(openid, { from: period.from, to: period.to, ...req });
  if (!r.ok) throw new Error(`export refused: ${JSON.stringify(r.error)}`);
  return { answer: r.data, book: await readBookAt(r.data.url) };
}

const find = (coll: string, query: Record<string, unknown>): Doc[] =>
  cloud.engine.find(coll, { query, limit: 1_000_000 }) as unknown as Doc[];
const within = (at: unknown) => {
  const t = new Date(at as string).getTime();
  return t >= period.start.getTime() && t < period.end.getTime();
};
const sorted = (xs: unknown[]) => xs.map(String).sort();
/** A cell's time read back as the instant it stands for (cells hold Beijing wall-clock time, to the millisecond). */
const instant = (cell: unknown) => (cell instanceof Date ? cell.getTime() - 8 * 3_600_000 : null);
const ELEVEN_DIGITS = /1\d{10}/;
/** A phone as stored (sealed under the local cloud's key) opened to its digits, as the export reads it. */
const clear = (stored: string | null | undefined) =>
  stored ? openPhone(stored, parseKey(phoneKeyEnv().PHONE_KEY)) : stored;

function expectSheetShape(sheet: SheetRead, spec: { name: string; columns: { header: string; width: number }[] }) {
  expect(sheet.name).toBe(spec.name);
  expect(sheet.frozenRows).toBe(1);
  expect(sheet.headers).toEqual(spec.columns.map((c) => c.header));
  for (const h of sheet.headers) expect(h).toMatch(/[\u4e00-\u9fa5]/);
  expect(sheet.widths).toEqual(spec.columns.map((c) => c.width));
}

describe('orders', () => {
  it('exports every order of the county in the period, labelled in Chinese, with phones masked', async () => {
    const { answer, book } = await exported(CENTER, { kind: 'orders' });
    const orders = find('orders', { path: CENTER_ID }).filter((o) => within(o.createdAt));
    expect(orders.length).toBeGreaterThan(10);
    expect(book).toHaveLength(1);
    const [sheet] = book;
    expectSheetShape(sheet, ORDER_SHEET);
    expect(answer.rows).toBe(orders.length);
    const centerName = String(find('orgs', { _id: CENTER_ID })[0].name);
    expect(answer.name).toBe(`工单明细_${centerName}_${period.from}至${period.to}.xlsx`);
    expect(answer.fileID).toMatch(/^cloud:\/\/.+\/exports\/haian\/orders-.+\.xlsx$/);
    expect(sorted(column(sheet, '工单编号'))).toEqual(sorted(orders.map((o) => o._id)));

    const byId = new Map(orders.map((o) => [o._id, o]));
    const phones = new Map(find('volunteers', {}).map((v) => [v._id, String(v.phone)]));
    let withVolunteer = 0;
    sheet.rows.forEach((row) => {
      const cell = (h: string) => row[sheet.headers.indexOf(h)];
      const o = byId.get(String(cell('工单编号')))!;
      expect(cell('状态')).toBe(STATUS_INFO[o.status as keyof typeof STATUS_INFO].label);
      expect(cell('服务类别')).toBe(CATEGORY_LABELS[o.category as keyof typeof CATEGORY_LABELS]);
      expect(cell('标题')).toBe(o.title);
      expect(cell('所属站点')).toBe(o.stationName);
      expect(instant(cell('提交时间'))).toBe(new Date(o.createdAt as string).getTime());
      for (const [header, at] of [
        ['接单时间', acceptedAt(o as never)],
        ['关闭时间', closedAt(o as never)],
        ['办结时间', o.fulfilledAt as Date | null],
      ] as const) {
        if (at === null) expect(cell(header)).toBeNull();
        else expect(instant(cell(header))).toBe(new Date(at).getTime());
      }
      expect(cell('评价星级')).toBe((o.rating as { stars: number } | null)?.stars ?? null);
      const contact = o.contact as { phone: string | null } | null;
      expect(cell('群众手机') ?? '').toBe(maskPhone(clear(contact?.phone)));
      const assignee = o.assignee as { openid: string } | null;
      if (assignee) {
        withVolunteer += 1;
        expect(cell('志愿者手机')).toBe(maskPhone(clear(phones.get(assignee.openid))));
      }
      for (const v of row) if (typeof v === 'string') expect(v).not.toMatch(ELEVEN_DIGITS);
    });
    expect(withVolunteer).toBeGreaterThan(0);
    // Times are Beijing wall-clock: a row's posting time shifted by eight hours from UTC.
    const first = byId.get(String(sheet.rows[0][0]))!;
    expect((sheet.rows[0][sheet.headers.indexOf('提交时间')] as Date).toISOString().slice(0, 16)).toBe(
      shanghaiClock(new Date(first.createdAt as string))
        .toISOString()
        .slice(0, 16),
    );
  });

  it('gives a station head only their own village’s orders', async () => {
    const { answer, book } = await exported(HEAD, { kind: 'orders' });
    const mine = find('orders', { path: DEMO_STATION_ID }).filter((o) => within(o.createdAt));
    expect(mine.length).toBeGreaterThan(0);
    expect(answer.rows).toBe(mine.length);
    expect(sorted(column(book[0], '工单编号'))).toEqual(sorted(mine.map((o) => o._id)));
    expect(new Set(column(book[0], '所属站点'))).toEqual(new Set([DEMO_STATION_NAME]));
  });

  it('keeps to the period: a single day holds only that day’s orders', async () => {
    const all = find('orders', { path: CENTER_ID });
    const day = shanghaiDay(new Date(all[0].createdAt as string));
    const { answer, book } = await exported(CENTER, { kind: 'orders', from: day, to: day });
    const that = all.filter((o) => shanghaiDay(new Date(o.createdAt as string)) === day);
    expect(answer.rows).toBe(that.length);
    expect(sorted(column(book[0], '工单编号'))).toEqual(sorted(that.map((o) => o._id)));
  });
});

describe('paging', () => {
  it('reads every order once when more than a page of them share one moment', async () => {
    const station = find('orgs', { _id: DEMO_STATION_ID })[0] as unknown as OrgDoc;
    const at = new Date('2025-03-03T02:00:00.000Z');
    const docs = Array.from({ length: 2_100 }, (_, i) =>
      orderDoc({
        id: `tie-${String(i).padStart(5, '0')}`,
        station,
        level: 'station',
        status: 'open',
        category: 'health',
        createdAt: at,
      }),
    );
    // One more just before and one just after: the pages around the crowd.
    docs.push(
      orderDoc({
        id: 'tie-before',
        station,
        level: 'station',
        status: 'open',
        category: 'law',
        createdAt: new Date(at.getTime() - 1),
      }),
    );
    docs.push(
      orderDoc({
        id: 'tie-after',
        station,
        level: 'station',
        status: 'open',
        category: 'law',
        createdAt: new Date(at.getTime() + 1),
      }),
    );
    cloud.engine.insert('orders', docs as unknown as Record<string, unknown>[]);
    const { answer, book } = await exported(HEAD, { kind: 'orders', from: '2025-03-03', to: '2025-03-03' });
    const ids = column(book[0], '工单编号').map(String);
    const expected = find('orders', { path: DEMO_STATION_ID })
      .filter((o) => shanghaiDay(new Date(o.createdAt as string)) === '2025-03-03')
      .map((o) => o._id);
    expect(answer.rows).toBe(expected.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(expected.sort());
    // In posting order: the one before first, the one after last.
    expect(column(book[0], '工单编号')[0]).toBe('tie-before');
    expect(column(book[0], '工单编号')[ids.length - 1]).toBe('tie-after');
  });
});

describe('volunteers, activities, ledger', () => {
  it('lists the institute’s volunteers with their hours in the period and star level, phones masked', async () => {
    const { answer, book } = await exported(INSTITUTE, { kind: 'volunteers' });
    const vols = find('volunteers', { areas: DEMO_INSTITUTE_ID });
    expect(vols.length).toBeGreaterThan(0);
    const [sheet] = book;
    expectSheetShape(sheet, VOLUNTEER_SHEET);
    expect(answer.rows).toBe(vols.length);
    expect(sorted(column(sheet, '姓名'))).toEqual(sorted(vols.map((v) => v.name)));
    expect(sorted(column(sheet, '手机'))).toEqual(sorted(vols.map((v) => maskPhone(clear(String(v.phone))))));
    const hours = find('hours', { path: DEMO_INSTITUTE_ID }).filter((h) => within(h.at));
    const recorded = hours.filter((h) => h.kind === 'recorded').reduce((s, h) => s + Number(h.minutes), 0);
    const inSheet = column(sheet, '本期记录时长（小时）').reduce<number>((s, v) => s + Number(v), 0);
    expect(recorded).toBeGreaterThan(0);
    // Each person's hours are rounded to a tenth of an hour.
    expect(Math.abs(inSheet - recorded / 60)).toBeLessThanOrEqual(0.05 * vols.length);
    for (const s of column(sheet, '星级')) expect(String(s)).toMatch(/星/);
  });

  it('lists the village’s activities and, on a second sheet, their rosters', async () => {
    const { answer, book } = await exported(HEAD, { kind: 'activities' });
    const acts = find('activities', { path: DEMO_STATION_ID }).filter((a) => within(a.startAt));
    const ids = new Set(acts.map((a) => a._id));
    const roster = find('checkins', {}).filter((c) => ids.has(String(c.activityId)));
    expect(acts.length).toBeGreaterThan(0);
    expect(roster.length).toBeGreaterThan(0);
    expect(book.map((s) => s.name)).toEqual([ACTIVITY_SHEET.name, ROSTER_SHEET.name]);
    expectSheetShape(book[0], ACTIVITY_SHEET);
    expectSheetShape(book[1], ROSTER_SHEET);
    expect(sorted(column(book[0], '活动编号'))).toEqual(sorted([...ids]));
    expect(sorted(column(book[1], '姓名'))).toEqual(sorted(roster.map((c) => c.name)));
    expect(sorted(column(book[1], '服务分钟').map((m) => m ?? ''))).toEqual(sorted(roster.map((c) => c.minutes ?? '')));
    expect(answer.rows).toBe(acts.length + roster.length);
  });

  it('lists the ledger entries and the redemptions of the county', async () => {
    const { answer, book } = await exported(CENTER, { kind: 'ledger' });
    const entries = find('integralLedger', { path: CENTER_ID }).filter((e) => within(e.at));
    const redemptions = find('integralRedemptions', { shopPath: CENTER_ID }).filter((r) => within(r.createdAt));
    expect(entries.length).toBeGreaterThan(0);
    expect(book.map((s) => s.name)).toEqual([LEDGER_SHEET.name, REDEMPTION_SHEET.name]);
    expectSheetShape(book[0], LEDGER_SHEET);
    expectSheetShape(book[1], REDEMPTION_SHEET);
    expect(sorted(column(book[0], '记账编号'))).toEqual(sorted(entries.map((e) => e._id)));
    expect(column(book[0], '积分').reduce<number>((s, v) => s + Number(v), 0)).toBe(
      entries.reduce((s, e) => s + Number(e.points), 0),
    );
    expect(sorted(column(book[1], '兑换编号'))).toEqual(sorted(redemptions.map((r) => r._id)));
    expect(answer.rows).toBe(entries.length + redemptions.length);
  });
});

describe('figures', () => {
  it('exports the county’s figures and each institute’s as stats.overview answers them, with the trend and the categories', async () => {
    const { answer, book } = await exported(CENTER, { kind: 'figures' });
    const ov = await cloud.call<Result<Overview>>(
      'stats',
      { action: 'overview', from: period.from, to: period.to },
      CENTER,
    );
    if (!ov.ok) throw new Error(JSON.stringify(ov.error));
    expect(book.map((s) => s.name)).toEqual([FIGURE_SHEET.name, TREND_SHEET.name, CATEGORY_SHEET.name]);
    expectSheetShape(book[0], FIGURE_SHEET);
    expect(column(book[0], '名称')).toEqual([ov.data.name, ...ov.data.children.map((c) => c.name)]);
    expect(column(book[0], '提交需求').map(Number)).toEqual([
      ov.data.orders.posted,
      ...ov.data.children.map((c) => c.orders.posted),
    ]);
    expect(column(book[0], '已办结').map(Number)).toEqual([
      ov.data.orders.fulfilled,
      ...ov.data.children.map((c) => c.orders.fulfilled),
    ]);
    expect(ov.data.orders.posted).toBeGreaterThan(0);
    expect(column(book[1], '月份')).toEqual(ov.data.trend.map((t) => t.month));
    expect(answer.rows).toBeGreaterThan(ov.data.children.length);
  });
});

describe('refusals', () => {
  it.each([
    ['an unknown kind', { kind: 'people' }],
    ['a day that does not exist', { kind: 'orders', from: '2026-02-30' }],
    ['a date in another format', { kind: 'orders', to: '2026/11/30' }],
    ['a start after the end', { kind: 'orders', from: '2026-06-02', to: '2026-06-01' }],
    ['an extra field', { kind: 'orders', limit: 10 }],
  ])('refuses %s with INVALID_ARGUMENT in Chinese and writes nothing', async (_what, req) => {
    const before = storedFiles(cloud.dataDir);
    const r = await exportAs(CENTER, req);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(r.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(storedFiles(cloud.dataDir)).toEqual(before);
  });

  it('refuses a villager, and a station head asking for another village, and writes nothing', async () => {
    const before = storedFiles(cloud.dataDir);
    const villager = await exportAs(VILLAGER, { kind: 'orders' });
    expect(villager.ok ? null : villager.error.code).toBe('FORBIDDEN');
    const other = await exportAs(HEAD, { kind: 'orders', orgId: 'haian-01-002' });
    expect(other.ok ? null : other.error.code).toBe('FORBIDDEN');
    const up = await exportAs(HEAD, { kind: 'orders', orgId: DEMO_INSTITUTE_ID });
    expect(up.ok ? null : up.error.code).toBe('FORBIDDEN');
    expect(storedFiles(cloud.dataDir)).toEqual(before);
  });

  it('lets the center admin export a village by naming it', async () => {
    const { answer } = await exported(CENTER, { kind: 'orders', orgId: DEMO_STATION_ID });
    expect(answer.rows).toBe(find('orders', { path: DEMO_STATION_ID }).filter((o) => within(o.createdAt)).length);
  });
});
