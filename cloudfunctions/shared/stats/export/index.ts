/**
 * An export from start to end: the kind's sheets streamed into a workbook file page by page, the file
 * streamed to cloud storage under exports/<node>/, and its fileID, a temporary URL, a file name in
 * Chinese and the number of data rows (all sheets) answered.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { EXPORT_LABELS, type ExportKind } from '../../../../typings/stats';
import { storeFile } from '../../runtime/files';
import { exportActivities } from './activities';
import type { Exporter, ExportJob } from './job';
import { exportLedger } from './ledger';
import { exportOrders } from './orders';
import { exportVolunteers } from './volunteers';
import { openBook } from './workbook';

/** The kinds read from records here; `figures` is built from the overview (figures.ts). */
export const EXPORTERS: Record<Exclude<ExportKind, 'figures'>, Exporter> = {
  orders: exportOrders,
  volunteers: exportVolunteers,
  activities: exportActivities,
  ledger: exportLedger,
};

/** The file name a person sees: 工单明细_凤山村新时代文明实践站_2026-01-01至2026-11-30.xlsx */
export function exportName(kind: ExportKind, nodeName: string, job: Pick<ExportJob, 'period'>): string {
  const safe = nodeName.replace(/[\\/:*?"<>|\s]+/g, '');
  return `${EXPORT_LABELS[kind]}_${safe}_${job.period.from}至${job.period.to}.xlsx`;
}

export interface ExportResult {
  fileID: string;
  url: string;
  name: string;
  rows: number;
}

/** Writes the workbook with `fill` and stores it; the temporary file is removed whatever happens. */
export async function produce(
  kind: ExportKind,
  nodeName: string,
  job: ExportJob,
  fill: (book: ReturnType<typeof openBook>) => Promise<void>,
): Promise<ExportResult> {
  const name = exportName(kind, nodeName, job);
  const book = openBook(name.replace(/\.xlsx$/, ''));
  let file: string | undefined;
  try {
    await fill(book);
    const done = await book.finish();
    file = done.file;
    const cloudPath = `exports/${job.orgId}/${kind}-${job.period.from}-${job.period.to}-${randomBytes(6).toString('hex')}.xlsx`;
    const stored = await storeFile(cloudPath, file);
    return { ...stored, name, rows: done.rows };
  } catch (e) {
    book.discard();
    throw e;
  } finally {
    if (file) fs.rmSync(file, { force: true });
  }
}
