/**
 * The pure parts of the exports: the period in Beijing days, phone masking, the order's accept and
 * close times from its timeline, and the figures workbook built from an Overview — its sheets written
 * with the streaming writer and read back with exceljs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDay, maskPhone, periodOf } from '../../cloudfunctions/shared/stats/export/period';
import { acceptedAt, closedAt } from '../../cloudfunctions/shared/stats/export/orders';
import { figuresWorkbook, FIGURE_SHEET } from '../../cloudfunctions/shared/stats/export/figures';
import { cellsOf, openBook, writeSheets } from '../../cloudfunctions/shared/stats/export/workbook';
import { CATEGORIES, type Category } from '../../typings/domain';
import type { Figures, NodeFigures, Overview } from '../../typings/stats';
import { column, readBookFile } from '../helpers/workbook';

describe('the period', () => {
  const now = new Date('2026-11-29T18:30:00Z'); // 2026-11-30 02:30 in Beijing

  it('defaults to 1 January of this Beijing year → today in Beijing', () => {
    expect(periodOf({}, now)).toEqual({
      from: '2026-01-01',
      to: '2026-11-30',
      start: new Date('2025-12-31T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
  });

  it('includes both ends, as Beijing days', () => {
    const p = periodOf({ from: '2026-03-01', to: '2026-03-01' }, now);
    expect(p).toMatchObject({ start: new Date('2026-02-28T16:00:00Z'), end: new Date('2026-03-01T16:00:00Z') });
  });

  it.each([
    [{ from: '2026-02-30' }, '日期不对'],
    [{ to: '2026-13-01' }, '日期不对'],
    [{ from: '26-01-01' }, '日期不对'],
    [{ from: '2026-06-02', to: '2026-06-01' }, '开始日期不能晚于结束日期'],
  ])('refuses %j in Chinese', (req, words) => {
    const p = periodOf(req, now);
    expect('refusal' in p && p.refusal).toContain(words);
  });

  it('knows a real day', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
  });
});

describe('phone masking', () => {
  it.each([
    ['13800000001', '138****0001'],
    ['0513-88123456', '051****3456'],
    ['123', '****'],
    [null, ''],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('an order’s times from its timeline', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 5, 1, h));
  const ev = (type: string, to: string, h: number) => ({ type, to, from: null, by: 'x', byName: 'x', at: at(h) });

  it('takes the last accept (or claim) and the final status’s event', () => {
    const events = [ev('created', 'submitted', 1), ev('claimed', 'accepted', 2), ev('reopened', 'accepted', 5)];
    const o = { events: [...events, ev('accepted', 'accepted', 6), ev('rated', 'closed', 9)] } as never;
    expect(acceptedAt(o)).toEqual(at(6));
    expect(closedAt({ ...(o as object), status: 'closed' } as never)).toEqual(at(9));
    expect(closedAt({ events, status: 'accepted' } as never)).toBeNull();
  });
});

const none = () => Object.fromEntries(CATEGORIES.map((c) => [c, { posted: 0, fulfilled: 0 }])) as Figures['byCategory'];

function node(
  orgId: string,
  name: string,
  posted: number,
  fulfilled: number,
  level: NodeFigures['level'],
): NodeFigures {
  return {
    orgId,
    name,
    level,
    orders: { posted, reviewed: posted, fulfilled, closed: fulfilled, rejected: 0, cancelled: 0, escalated: 1, red: 0 },
    byKind: { wish: { posted, fulfilled }, whistle: { posted: 0, fulfilled: 0 } },
    byCategory: { ...none(), health: { posted, fulfilled } } as Record<Category, { posted: number; fulfilled: number }>,
    fulfilmentRate: posted ? fulfilled / posted : null,
    medianAcceptMin: 42,
    medianFulfilMin: 600,
    ratingAverage: 4.567,
    ratings: 3,
    volunteers: { registered: 2, active: 1 },
    activities: { held: 4, checkins: 30 },
    hours: { recordedMinutes: 150, honourMinutes: 60 },
    points: { issued: 100, deducted: 5, redeemed: 20 },
  };
}

describe('the figures workbook', () => {
  const overview: Overview = {
    ...node('haian-01', '城东镇', 30, 27, 'institute'),
    from: '2026-01-01',
    to: '2026-11-30',
    children: [
      { ...node('haian-01-002', '大堡村', 10, 7, 'station'), lagging: true },
      { ...node('haian-01-001', '凤山村', 20, 20, 'station'), lagging: false },
    ],
    childMedianRate: 0.85,
    trend: [
      { month: '2026-10', posted: 10, fulfilled: 9, fulfilmentRate: 0.9, checkins: 12, recordedMinutes: 90 },
      { month: '2026-11', posted: 20, fulfilled: 18, fulfilmentRate: 0.9, checkins: 18, recordedMinutes: 60 },
    ],
  };

  it('has the node first, then its children, with rates in percent and hours in hours', () => {
    const [figures, trend, categories] = figuresWorkbook(overview);
    expect(figures.rows.map((r) => (r as NodeFigures).name)).toEqual(['城东镇', '大堡村', '凤山村']);
    const header = FIGURE_SHEET.columns.map((c) => c.header);
    const first = cellsOf(FIGURE_SHEET.columns, figures.rows[0] as never);
    expect(first[header.indexOf('实现率（%）')]).toBe(90);
    expect(first[header.indexOf('记录时长（小时）')]).toBe(2.5);
    expect(first[header.indexOf('平均评价')]).toBe(4.57);
    expect(cellsOf(FIGURE_SHEET.columns, figures.rows[1] as never)[header.indexOf('落后')]).toBe('是');
    expect(trend.rows).toHaveLength(2);
    expect(categories.rows).toHaveLength(CATEGORIES.length);
  });

  it('writes three sheets with frozen Chinese headers that read back with exceljs', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wm-figures-')), 'f.xlsx');
    const book = openBook('统计数据', file);
    writeSheets(book, figuresWorkbook(overview));
    const { rows } = await book.finish();
    expect(rows).toBe(3 + 2 + CATEGORIES.length);
    const sheets = await readBookFile(file);
    expect(sheets.map((s) => s.name)).toEqual(['各级数据', '月度趋势', '服务类别']);
    for (const s of sheets) {
      expect(s.frozenRows).toBe(1);
      for (const h of s.headers) expect(h).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(column(sheets[0], '提交需求')).toEqual([30, 10, 20]);
    expect(column(sheets[1], '月份')).toEqual(['2026-10', '2026-11']);
    expect(column(sheets[2], '提交需求').reduce<number>((s, v) => s + Number(v), 0)).toBe(30);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
