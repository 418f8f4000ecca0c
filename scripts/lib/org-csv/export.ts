/** Writing the network back out in the county office's CSV form, which reads in again unchanged. */
import { stringify } from 'csv-stringify/sync';
import type { OrgDoc } from '../../../cloudfunctions/shared/org/domain/model';
import { LEVEL_LABELS, LEVELS, POINT_KIND_LABELS } from '../../../typings/domain';
import { ORG_CSV_COLUMNS, ORG_CSV_HEADERS } from './parse';

type ExportDoc = Pick<OrgDoc, '_id' | 'level' | 'name' | 'parentId'> &
  Partial<Pick<OrgDoc, 'order' | 'lat' | 'lng' | 'address' | 'kind' | 'hours'>>;

/**
 * The nodes as the county office's CSV: Chinese headers, a UTF-8 BOM and CRLF line ends (so that Excel
 * opens it with the Chinese intact), each node followed by its subtree, siblings in order.
 */
export function exportOrgCsv(docs: readonly ExportDoc[]): string {
  const ids = new Set(docs.map((d) => d._id));
  const children = new Map<string | null, ExportDoc[]>();
  for (const d of docs) {
    const parent = d.parentId !== null && d.parentId !== undefined && ids.has(d.parentId) ? d.parentId : null;
    const list = children.get(parent);
    if (list) list.push(d);
    else children.set(parent, [d]);
  }
  const bySibling = (a: ExportDoc, b: ExportDoc): number =>
    LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) ||
    (a.order ?? 0) - (b.order ?? 0) ||
    (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
  for (const list of children.values()) list.sort(bySibling);

  const cell = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));
  const line = (d: ExportDoc): string[] => [
    d._id,
    cell(d.parentId),
    LEVEL_LABELS[d.level] ?? d.level,
    d.name,
    cell(d.lat),
    cell(d.lng),
    cell(d.address),
    d.kind ? (POINT_KIND_LABELS[d.kind] ?? d.kind) : '',
    cell(d.hours),
  ];
  const records: string[][] = [ORG_CSV_COLUMNS.map((c) => ORG_CSV_HEADERS[c].zh)];
  // Iterative depth-first walk, each node followed by its subtree.
  const stack: ExportDoc[] = [...(children.get(null) ?? [])].reverse();
  const written = new Set<string>();
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (written.has(d._id)) continue;
    written.add(d._id);
    records.push(line(d));
    const kids = children.get(d._id);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  // Nodes caught in a parent cycle (a damaged store) are reachable from no root: still write them, last.
  for (const d of docs) if (!written.has(d._id)) records.push(line(d));
  return `\uFEFF${stringify(records, { record_delimiter: 'windows' })}`;
}
