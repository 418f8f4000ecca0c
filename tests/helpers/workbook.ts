/** Reading an exported workbook back with the library that wrote it (exceljs), as Excel or WPS would open it. */
import fs from 'node:fs';
import ExcelJS from 'exceljs';

export interface SheetRead {
  name: string;
  frozenRows: number;
  headers: string[];
  widths: number[];
  /** Data rows (after the header), each cell's value. */
  rows: unknown[][];
}

async function readBook(load: (wb: ExcelJS.Workbook) => Promise<unknown>): Promise<SheetRead[]> {
  const wb = new ExcelJS.Workbook();
  await load(wb);
  return wb.worksheets.map((ws) => {
    const view = ws.views[0] as { state?: string; ySplit?: number } | undefined;
    const values = (r: number) => ((ws.getRow(r).values as unknown[]) ?? []).slice(1);
    const headers = values(1).map(String);
    const rows: unknown[][] = [];
    for (let r = 2; r <= ws.rowCount; r += 1) {
      const v = values(r);
      rows.push(headers.map((_, i) => v[i] ?? null));
    }
    return {
      name: ws.name,
      frozenRows: view?.state === 'frozen' ? (view.ySplit ?? 0) : 0,
      headers,
      widths: headers.map((_, i) => ws.getColumn(i + 1).width ?? 0),
      rows,
    };
  });
}

/** The workbook at a URL (a temporary URL of cloud storage). */
export async function readBookAt(url: string): Promise<SheetRead[]> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  const buf = Buffer.from(await res.arrayBuffer());
  return readBook((wb) => wb.xlsx.load(buf as unknown as ArrayBuffer));
}

export async function readBookFile(file: string): Promise<SheetRead[]> {
  return readBook((wb) => wb.xlsx.readFile(file));
}

/** A column's values by its header. */
export function column(sheet: SheetRead, header: string): unknown[] {
  const i = sheet.headers.indexOf(header);
  if (i < 0) throw new Error(`no column ${header} in ${sheet.name}: ${sheet.headers.join(', ')}`);
  return sheet.rows.map((r) => r[i]);
}

/** Files under a local cloud's storage folder (to see that a refused export wrote nothing). */
export function storedFiles(dataDir: string, under = 'exports'): string[] {
  const root = `${dataDir}/storage/${under}`;
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
}
