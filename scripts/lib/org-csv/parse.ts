/**
 * Reading the county office's network list: the bytes as text whatever Excel saved them as, the header
 * in either language (and a few other spellings), and the rows with their cells trimmed. The shape of
 * the file is checked here; the cells are checked by planImport (plan.ts), so that every bad row is
 * reported together.
 */
import { parse } from 'csv-parse/sync';

/** The columns, in the order an export writes them. */
export const ORG_CSV_COLUMNS = [
  'code',
  'parentCode',
  'level',
  'name',
  'lat',
  'lng',
  'address',
  'kind',
  'hours',
] as const;
export type OrgCsvColumn = (typeof ORG_CSV_COLUMNS)[number];

/** Chinese headers (what an export writes) and English ones; either is read. */
export const ORG_CSV_HEADERS: Record<OrgCsvColumn, { zh: string; en: string }> = {
  code: { zh: '编码', en: 'code' },
  parentCode: { zh: '上级编码', en: 'parent_code' },
  level: { zh: '层级', en: 'level' },
  name: { zh: '名称', en: 'name' },
  lat: { zh: '纬度', en: 'lat' },
  lng: { zh: '经度', en: 'lng' },
  address: { zh: '地址', en: 'address' },
  kind: { zh: '类型', en: 'kind' },
  hours: { zh: '开放时间', en: 'hours' },
};

const REQUIRED_COLUMNS: OrgCsvColumn[] = ['code', 'parentCode', 'level', 'name'];

/** One data row, its cells trimmed ('' when empty or when the column is absent). */
export type OrgCsvRow = { row: number } & Record<OrgCsvColumn, string>;

export interface OrgImportError {
  /** The row number as Excel shows it: the header is row 1, the first node row 2. */
  row: number;
  code?: string;
  /** Plain Chinese, starting with the row: "第12行：上级编码 haian-99 不存在". */
  message: string;
}

export type OrgCsvParse = { ok: true; rows: OrgCsvRow[] } | { ok: false; errors: OrgImportError[] };

const normalHeader = (h: string): string =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

const HEADER_LOOKUP = new Map<string, OrgCsvColumn>();
for (const col of ORG_CSV_COLUMNS) {
  HEADER_LOOKUP.set(normalHeader(ORG_CSV_HEADERS[col].zh), col);
  HEADER_LOOKUP.set(normalHeader(ORG_CSV_HEADERS[col].en), col);
}
// A few spellings an office may use instead.
HEADER_LOOKUP.set('parent', 'parentCode');
HEADER_LOOKUP.set('parentid', 'parentCode');
HEADER_LOOKUP.set('latitude', 'lat');
HEADER_LOOKUP.set('longitude', 'lng');
HEADER_LOOKUP.set('lon', 'lng');
HEADER_LOOKUP.set('类别', 'kind');

/** An error's text, starting with the row as Excel numbers it. */
export const at = (row: number, text: string): string => `第${row}行：${text}`;

/**
 * A saved spreadsheet's bytes as text: UTF-8 (with or without BOM), UTF-16 ("Unicode text") or, when
 * the bytes are not UTF-8, GB18030 — what Excel on a Chinese Windows writes for "CSV (逗号分隔)".
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * The rows of a file, or what is wrong with its shape (no header, a required column missing, a quote
 * never closed). Cell values are checked by planImport, so that all bad rows are reported together.
 */
export function parseOrgCsv(text: string): OrgCsvParse {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, Math.max(0, body.search(/\r?\n|$/)));
  // "Unicode text" from Excel is tab-separated; a CSV has commas.
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(body, {
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (e) {
    const err = e as { code?: string; records?: number };
    const row = (err.records ?? 0) + 1;
    const why =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? '有一个引号没有闭合，请检查这一行的引号（"）'
        : '这一行的引号（"）用法不对，无法读取';
    return { ok: false, errors: [{ row, message: at(row, why) }] };
  }

  const headerIndex = records.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerIndex < 0) {
    return {
      ok: false,
      errors: [
        { row: 1, message: at(1, '文件是空的，第一行应是表头：编码,上级编码,层级,名称,纬度,经度,地址,类型,开放时间') },
      ],
    };
  }
  const headerRow = headerIndex + 1;
  const columns = new Map<OrgCsvColumn, number>();
  const errors: OrgImportError[] = [];
  records[headerIndex].forEach((cell, i) => {
    const col = HEADER_LOOKUP.get(normalHeader(cell));
    if (!col) return; // other columns (备注, 联系人 …) are the office's own and are ignored
    if (columns.has(col)) {
      errors.push({ row: headerRow, message: at(headerRow, `表头“${cell.trim()}”重复了`) });
    } else {
      columns.set(col, i);
    }
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    const names = missing.map((c) => `${ORG_CSV_HEADERS[c].zh}（${ORG_CSV_HEADERS[c].en}）`).join('、');
    errors.push({ row: headerRow, message: at(headerRow, `表头缺少 ${names} 列`) });
  }
  if (errors.length > 0) return { ok: false, errors };

  const rows: OrgCsvRow[] = [];
  for (let r = headerIndex + 1; r < records.length; r++) {
    const cells = records[r];
    if (cells.every((c) => c.trim() === '')) continue; // blank lines keep their numbers but say nothing
    const row = { row: r + 1 } as OrgCsvRow;
    for (const col of ORG_CSV_COLUMNS) {
      const i = columns.get(col);
      row[col] = i === undefined ? '' : (cells[i] ?? '').trim();
    }
    rows.push(row);
  }
  return { ok: true, rows };
}
