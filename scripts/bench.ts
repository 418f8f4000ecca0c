/**
 * Benchmarks at county scale, through the real functions and the local cloud's gateway.
 *
 *   npm run bench -- [all|load|org|matching|hall|timer|checkin|integral|stats|surge|actions ...] [--quick] [--markdown] [--json <file>]
 *   npm run bench -- [all|load|org|matching|hall|timer|checkin|integral|export|surge ...] [--quick] [--markdown] [--json <file>]
 *
 * Each section starts a local cloud of its own on a temporary data folder, seeds it through the
 * engine, and calls the functions over HTTP one call at a time: median and p95 of the time per call,
 * and what a call costs the database — tcb API requests (round trips), documents answered, rows the
 * engine read (scripts/lib/bench/cloud.ts says how they are counted). `--quick` uses small sizes and
 * few repetitions: a smoke run, not figures to quote. Performance is reported, never asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions, buildLocalCloudWorker } from './build';
import { functionNames, ROOT } from './lib/project';
import { markdownSection, printSection, type Section } from './lib/bench/report';
import type { Options } from './lib/bench/sections/options';
import { loadSection } from './lib/bench/sections/load';
import { orgSection } from './lib/bench/sections/org';
import { matchingSection } from './lib/bench/sections/matching';
import { hallSection } from './lib/bench/sections/hall';
import { timerSection } from './lib/bench/sections/timer';
import { surgeSection } from './lib/bench/sections/surge';
import { checkinSection } from './lib/bench/sections/checkin';
import { integralSection } from './lib/bench/sections/integral';
import { statsSection } from './lib/bench/sections/stats';
import { exportSection } from './lib/bench/sections/export';
import { actionsSection } from './lib/bench/sections/actions';

const SECTIONS: Record<string, (o: Options) => Promise<Section | null>> = {
  load: loadSection,
  org: orgSection,
  matching: matchingSection,
  hall: hallSection,
  timer: timerSection,
  checkin: checkinSection,
  integral: integralSection,
  stats: statsSection,
  export: exportSection,
  surge: surgeSection,
  actions: actionsSection,
};

const USAGE = `Usage: npm run bench -- [all|${Object.keys(SECTIONS).join('|')} ...] [--quick] [--markdown] [--json <file>]`;

function newest(dir: string, ext: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the functions and the local cloud's worker when a source is newer than what was built. */
async function buildIfStale(log: (s: string) => void): Promise<void> {
  const worker = path.join(ROOT, '.build', 'localcloud', 'worker.js');
  const built = [worker, ...functionNames().map((f) => path.join(ROOT, 'cloudfunctions', f, 'index.js'))];
  const oldest = Math.min(...built.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  const sources = Math.max(
    newest(path.join(ROOT, 'cloudfunctions'), '.ts'),
    newest(path.join(ROOT, 'typings'), '.ts'),
    newest(path.join(ROOT, 'localcloud', 'functions'), '.ts'),
  );
  if (oldest >= sources) return;
  log('bench: building the functions (sources changed since the last build)');
  await Promise.all([buildFunctions(), buildLocalCloudWorker()]);
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const markdown = argv.includes('--markdown');
  const jsonAt = argv.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
  const names = argv.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));
  // The surge runs only when named: it measures the quota mode, not the cost of a call, and takes a minute;
  // so does `actions` (every action once, each request held 40 ms: a minute or two of counts, no times).
  const all = Object.keys(SECTIONS).filter((n) => n !== 'surge' && n !== 'actions');
  const wanted = names.length === 0 || names.includes('all') ? all : names;
  const unknown = wanted.filter((n) => !SECTIONS[n]);
  if (unknown.length || (jsonAt >= 0 && !jsonFile)) {
    console.error(`${unknown.length ? `unknown section ${unknown.join(', ')}\n` : ''}${USAGE}`);
    return 2;
  }
  const log = (s: string) => console.error(s);
  await buildIfStale(log);

  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  console.log(`文明实践云 benchmarks${quick ? ' (--quick: small sizes, not figures to quote)' : ''}`);
  console.log(
    `machine: ${machine}; load average at start ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const results: Section[] = [];
  for (const name of wanted) {
    const t0 = performance.now();
    const section = await SECTIONS[name]({ quick, log });
    if (!section) {
      console.log(`\n== ${name}: skipped (cloudfunctions/${name === 'timer' ? 'cron' : name} is not there yet)`);
      continue;
    }
    section.setup.push(`section took ${((performance.now() - t0) / 1000).toFixed(1)} s in all`);
    printSection(section);
    results.push(section);
  }
  if (markdown) console.log(`\n${results.map(markdownSection).join('\n\n')}`);
  if (jsonFile)
    fs.writeFileSync(jsonFile, JSON.stringify({ machine, quick, at: new Date().toISOString(), results }, null, 2));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
