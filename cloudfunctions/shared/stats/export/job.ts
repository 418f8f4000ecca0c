/** What every kind of export is given: the node whose scope it covers and the period. */
import type { Book } from './workbook';
import type { DayRange } from './period';

export interface ExportJob {
  orgId: string;
  period: DayRange;
}

/** Writes one kind's sheets into the book, reading page by page. */
export type Exporter = (book: Book, job: ExportJob) => Promise<void>;
