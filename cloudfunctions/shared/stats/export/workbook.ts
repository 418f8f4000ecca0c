/**
 * The workbook writer of the exports: exceljs's streaming WorkbookWriter, so a sheet of 100,000 rows is
 * never held in memory — each row is committed to the zip stream as it comes, written to a file in the
 * instance's temporary folder, and that file is streamed to cloud storage. Every sheet has Chinese
 * headers, its header row frozen, set column widths; times are written as Beijing wall-clock time (the
 * cell shows what a clock in the county showed).
 *
 * exceljs is not bundled into the function: it is required here, on first use, from the function's
 * package.json dependencies (installed in the cloud), so the other actions never load it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { shanghaiClock } from '../../../../typings/time';

export type CellValue = string | number | Date | null;

export interface Column<R> {
  header: string;
  /** In characters, as Excel counts them (a Chinese character is about two). */
  width: number;
  value(row: R): CellValue;
  /** How a Date is shown; numbers may carry a format too. */
  format?: string;
}

export interface SheetSpec<R> {
  name: string;
  columns: Column<R>[];
}

/** A sheet whose rows are all at hand (the figures): the spec and its rows. */
export interface SheetData<R = never> {
  spec: SheetSpec<R>;
  rows: R[];
}

export const DATE_TIME = 'yyyy-mm-dd hh:mm';
export const DATE = 'yyyy-mm-dd';

/** A Date as the cell value that shows its Beijing wall-clock time (Excel has no time zones). */
export const beijingCell = (at: Date | string | null | undefined): Date | null =>
  at ? shanghaiClock(new Date(at)) : null;

/** The cells of one row, in the columns' order (pure: what the tests check against the records). */
export function cellsOf<R>(columns: readonly Column<R>[], row: R): CellValue[] {
  return columns.map((c) => {
    const v = c.value(row);
    return v === undefined ? null : v;
  });
}

export interface SheetWriter<R> {
  add(row: R): void;
  readonly rows: number;
}

export interface Book {
  sheet<R>(spec: SheetSpec<R>): SheetWriter<R>;
  /** Ends every sheet and the file; answers the file's path and the data rows written. */
  finish(): Promise<{ file: string; rows: number }>;
  /** Drops an unfinished book and its file (after an error). */
  discard(): void;
}

function loadExcel(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof ExcelJS;
}

/** A new streaming workbook written to `file` (default: a new file in the temporary folder). */
export function openBook(
  title: string,
  file = path.join(os.tmpdir(), `export-${randomBytes(8).toString('hex')}.xlsx`),
): Book {
  const Excel = loadExcel();
  const writer = new Excel.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  writer.creator = '文明实践云';
  writer.title = title;
  writer.created = new Date();
  const sheets: { ws: ExcelJS.Worksheet; count: () => number }[] = [];
  let finished = false;

  return {
    sheet<R>(spec: SheetSpec<R>): SheetWriter<R> {
      const ws = writer.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
      ws.columns = spec.columns.map((c, i) => ({
        header: c.header,
        key: `c${i}`,
        width: c.width,
        style: c.format ? { numFmt: c.format } : {},
      }));
      const header = ws.getRow(1);
      header.font = { bold: true };
      header.alignment = { vertical: 'middle' };
      header.commit();
      let rows = 0;
      sheets.push({ ws, count: () => rows });
      return {
        add(row: R) {
          ws.addRow(cellsOf(spec.columns, row)).commit();
          rows += 1;
        },
        get rows() {
          return rows;
        },
      };
    },
    async finish() {
      finished = true;
      for (const s of sheets) s.ws.commit();
      await writer.commit();
      return { file, rows: sheets.reduce((n, s) => n + s.count(), 0) };
    },
    discard() {
      const remove = () => fs.rm(file, { force: true }, () => undefined);
      if (finished) {
        remove();
        return;
      }
      finished = true;
      // End the stream first, so that nothing is written to the file after it is removed.
      writer.commit().then(remove, remove);
    },
  };
}

/** Writes sheets whose rows are at hand. */
export function writeSheets(book: Book, sheets: readonly SheetData<unknown>[]): void {
  for (const s of sheets) {
    const w = book.sheet(s.spec as SheetSpec<unknown>);
    for (const r of s.rows) w.add(r);
  }
}
