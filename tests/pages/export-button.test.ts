/**
 * The export-button component against the pages' local cloud: a station head picks a table, taps 导出,
 * sees that it is working, and the workbook of their village is downloaded and opened with
 * wx.openDocument (xlsx, menu shown) — read back here with exceljs; a villager is told in Chinese that
 * they may not, and nothing is opened.
 */
import path from 'node:path';
import { DEMO_STATION_NAME } from '../../localcloud/seed/network';
import { EXPORT_LABELS } from '../../typings/stats';
import { column, readBookFile } from '../helpers/workbook';
import { callsTo } from './wx-fake';
import { exists, fire, launchAs, MINIPROGRAM_ROOT, simulate, tap, textOf, waitFor, type SimPage } from './harness';

interface Rendered extends SimPage {
  addEventListener(event: string, handler: (e: { detail: unknown }) => void): void;
}

const dom = globalThis as unknown as { document: { createElement(tag: string): unknown } };
let id: string | undefined;

function render(properties: Record<string, unknown> = {}): Rendered {
  id ??= simulate.load(path.join(MINIPROGRAM_ROOT, 'components', 'export-button', 'index'), {
    rootPath: MINIPROGRAM_ROOT,
  });
  const c = simulate.render(id, properties) as Rendered | undefined;
  if (!c) throw new Error('could not render export-button');
  c.attach(dom.document.createElement('parent-wrapper'));
  return c;
}

const LONG = 60_000;

type Request = (options: unknown) => unknown;
const phone = globalThis as unknown as { wx: { request: Request } };

/** Holds back every wx.request until the answer is released (then sends them as they came). */
function holdRequests(): () => void {
  const real = phone.wx.request;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  phone.wx.request = (options) => {
    void gate.then(() => real(options));
    return { abort() {} };
  };
  return () => {
    phone.wx.request = real;
    open();
  };
}

test(
  'a station head exports their village’s orders and the workbook opens on the phone',
  async () => {
    launchAs('demo-station-head');
    const c = render();
    const exported: unknown[] = [];
    c.addEventListener('exported', (e) => exported.push(e.detail));
    expect(textOf(c, '#export-choice')).toBe(`${EXPORT_LABELS.orders} ›`);

    // The call to the cloud is held until the working state has been seen.
    const release = holdRequests();
    tap(c, '#export-go');
    await waitFor('the working state', c, () => textOf(c, '#export-working'));
    expect(textOf(c, '#export-working')).toContain('正在生成“工单明细”');
    expect(exists(c, '#export-done')).toBe(false);
    release();
    await waitFor('the workbook opened', c, () => exists(c, '#export-done') || exists(c, '#export-error'), LONG);
    expect(textOf(c, '#export-error')).toBeUndefined();

    const [open] = callsTo('openDocument');
    expect(open).toMatchObject({ fileType: 'xlsx', showMenu: true });
    const [sheet] = await readBookFile(String(open.filePath));
    expect(sheet.frozenRows).toBe(1);
    expect(sheet.rows.length).toBeGreaterThan(0);
    expect(new Set(column(sheet, '所属站点'))).toEqual(new Set([DEMO_STATION_NAME]));
    expect(textOf(c, '#export-done')).toContain(`共 ${sheet.rows.length} 行`);
    expect(exported).toEqual([
      { kind: 'orders', name: expect.stringMatching(/^工单明细_.+\.xlsx$/), rows: sheet.rows.length },
    ]);
  },
  LONG + 10_000,
);

test(
  'the picker chooses the table: volunteers with their hours',
  async () => {
    launchAs('demo-station-head');
    const c = render();
    fire(c, '#export-kind', 'change', { value: 1 });
    await waitFor('the choice', c, () => textOf(c, '#export-choice') === `${EXPORT_LABELS.volunteers} ›`);
    tap(c, '#export-go');
    await waitFor('the workbook opened', c, () => exists(c, '#export-done') || exists(c, '#export-error'), LONG);
    expect(textOf(c, '#export-error')).toBeUndefined();
    const [open] = callsTo('openDocument');
    const [sheet] = await readBookFile(String(open.filePath));
    expect(sheet.name).toBe('志愿者');
    expect(sheet.headers).toContain('星级');
  },
  LONG + 10_000,
);

test('a villager is told they may not export, and nothing is downloaded or opened', async () => {
  launchAs('demo-villager');
  const c = render();
  tap(c, '#export-go');
  await waitFor('the refusal', c, () => textOf(c, '#export-error'));
  expect(textOf(c, '#export-error')).toMatch(/[\u4e00-\u9fa5]/);
  expect(textOf(c, '#export-error')).toContain('导出');
  expect(callsTo('downloadFile')).toEqual([]);
  expect(callsTo('openDocument')).toEqual([]);
  // The button is ready again for another try.
  expect(exists(c, '#export-working')).toBe(false);
});
