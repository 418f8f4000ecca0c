/** Rows of figures per section, printed as a table (and as Markdown for docs/BENCHMARKS.md). */
import type { CallCost } from './cloud';
import { num, summarize, type Summary } from './stats';

export interface Row {
  what: string;
  /** Time per call (or per run), over n repetitions. */
  time: Summary;
  /** Round trips per call (parallel requests counted once): median, and the range when it varies. */
  trips?: string;
  /** tcb API requests per call: median, and the range when it varies. */
  requests?: string;
  /**
   * The round trips split as "reads before the write + the write + reads after it" (a transaction's
   * operations all in the write), when a section asks for it.
   */
  phases?: string;
  /** Documents the database answered per call (median), by collection. */
  returned?: string;
  /** Rows the engine read to answer them (median), by collection. */
  examined?: string;
  note?: string;
}

export interface Section {
  name: string;
  title: string;
  /** What the data was and how long it took to make. */
  setup: string[];
  rows: Row[];
  /** Findings: full scans, limits reached, anything a reader should know. */
  notes: string[];
}

const median = (xs: number[]) => summarize(xs).median;

function perCollection(costs: CallCost[], pick: (c: CallCost) => Record<string, number>): string {
  const colls = [...new Set(costs.flatMap((c) => Object.keys(pick(c))))];
  return colls
    .map((coll) => [coll, median(costs.map((c) => pick(c)[coll] ?? 0))] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([coll, n]) => `${coll} ${Number.isInteger(n) ? n.toLocaleString('en-US') : num(n)}`)
    .join(', ');
}

/** A row from measured calls: time, round trips, documents answered and rows read. */
export function rowOf(what: string, costs: CallCost[], note?: string, withPhases = false): Row {
  const range = (xs: number[]) => {
    const t = summarize(xs);
    return t.min === t.max ? String(t.median) : `${t.median} (${t.min}–${t.max})`;
  };
  return {
    what,
    time: summarize(costs.map((c) => c.ms)),
    trips: range(costs.map((c) => c.trips)),
    requests: range(costs.map((c) => c.requests)),
    returned: perCollection(costs, (c) => c.returned),
    examined: perCollection(costs, (c) => c.examined),
    ...(withPhases ? { phases: [...new Set(costs.map(phasesOf))].join(' / ') } : {}),
    note,
  };
}

/** "2 + 3 + 0": the call's reads before its first write, its write (first to last write-side trip), what follows. */
export function phasesOf(c: CallCost): string {
  if (c.firstWriteTrip === 0) return `${c.trips} + 0 + 0`;
  return `${c.firstWriteTrip - 1} + ${c.lastWriteTrip - c.firstWriteTrip + 1} + ${c.trips - c.lastWriteTrip}`;
}

/** A row of plain timings (no calls through the gateway). */
export function timeRow(what: string, samples: number[], note?: string): Row {
  return { what, time: summarize(samples), note };
}

/** Plans that read a whole collection, as "collection:(scan)" notes. */
export function scans(costs: readonly CallCost[]): string[] {
  return [...new Set(costs.flatMap((c) => c.plans.filter((p) => p.endsWith(':(scan)'))))];
}

const HEAD = ['', 'n', 'median', 'p95', 'round trips', 'requests', 'docs answered', 'rows read'];
const PHASES = 'reads + write + after';

/** The columns of a section's table: the phases of the round trips only when its rows carry them. */
const headOf = (s: Section) => (s.rows.some((r) => r.phases) ? [...HEAD.slice(0, 5), PHASES, ...HEAD.slice(5)] : HEAD);

function cells(r: Row, phases: boolean): string[] {
  return [
    r.what,
    String(r.time.n),
    `${num(r.time.median)} ms`,
    `${num(r.time.p95)} ms`,
    r.trips ?? '',
    ...(phases ? [r.phases ?? ''] : []),
    r.requests ?? '',
    r.returned ?? '',
    r.examined ?? '',
  ];
}

/** Display width: CJK characters take two columns. */
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number, right = false) =>
  right ? ' '.repeat(Math.max(0, w - width(s))) + s : s + ' '.repeat(Math.max(0, w - width(s)));

export function printSection(s: Section, out: (line: string) => void = console.log): void {
  out('');
  out(`== ${s.name}: ${s.title}`);
  for (const line of s.setup) out(`   ${line}`);
  const head = headOf(s);
  const phases = head.length > HEAD.length;
  const rows = [head, ...s.rows.map((r) => cells(r, phases))];
  const widths = head.map((_h, i) => Math.max(...rows.map((r) => width(r[i]))));
  rows.forEach((r, k) => {
    out(
      '   ' +
        r
          .map((c, i) => pad(c, widths[i], i >= 1 && i <= (phases ? 6 : 5)))
          .join('  ')
          .trimEnd(),
    );
    if (k === 0) out('   ' + widths.map((w) => '-'.repeat(w)).join('  '));
  });
  for (const r of s.rows) if (r.note) out(`   · ${r.what}: ${r.note}`);
  for (const n of s.notes) out(`   ! ${n}`);
}

export function markdownSection(s: Section): string {
  const lines = [`### ${s.name}: ${s.title}`, '', ...s.setup.map((l) => `- ${l}`), ''];
  const head = headOf(s);
  lines.push(`| ${head.map((h) => h || 'what').join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const r of s.rows) lines.push(`| ${cells(r, head.length > HEAD.length).join(' | ')} |`);
  const notes = [...s.rows.filter((r) => r.note).map((r) => `${r.what}: ${r.note}`), ...s.notes];
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  return lines.join('\n');
}
