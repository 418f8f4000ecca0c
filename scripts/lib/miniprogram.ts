/**
 * The mini-program as DevTools sees it, for scripts and tests:
 *   - its files, and which package (main or a subpackage) each one ships in;
 *   - WeChat's own template and style compilers (wcc, wcsc from the miniprogram-compiler package);
 *   - package sizes against budgets below the platform's limits (2 MB a package, 20 MB in all).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from 'esbuild';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '..', '..', 'miniprogram');

const MB = 1024 * 1024;

// ---- files --------------------------------------------------------------------------------------

/** Never shipped: dependencies before packing, declaration files, tests. */
function isExcluded(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.includes('node_modules')) return true;
  if (parts.some((p) => p === '__tests__' || p === '__test__')) return true;
  return /\.d\.ts$/.test(rel) || /\.(test|spec)\.[jt]s$/.test(rel);
}

/** Every file under `root` that DevTools would consider, as sorted paths relative to it (with `/`). */
export function listFiles(root: string, ext?: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (!isExcluded(`${rel}/`)) walk(full);
      } else if (entry.isFile() && !isExcluded(rel) && (!ext || rel.endsWith(ext))) {
        out.push(rel);
      }
    }
  };
  walk(root);
  return out.sort();
}

// ---- WeChat's compilers -------------------------------------------------------------------------

export interface CompileProblem {
  /** As given to the compiler, relative to the root it ran in. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** The compiler's own words, unparsed. */
  raw: string;
}

export type CompileOutcome = { ok: true; output: string } | { ok: false; problem: CompileProblem };

const BINARIES: Partial<Record<NodeJS.Platform, { dir: string; suffix: string }>> = {
  linux: { dir: 'linux', suffix: '' },
  darwin: { dir: 'mac', suffix: '' },
  win32: { dir: 'windows', suffix: '.exe' },
};

/**
 * The path of wcc or wcsc, runnable. npm does not keep the binaries' run bit, so it is set here (as
 * the package's own wrapper does); where node_modules is read-only, a copy in the temp folder is used.
 */
export function compilerPath(name: 'wcc' | 'wcsc'): string {
  const platform = BINARIES[process.platform];
  if (!platform) throw new Error(`miniprogram-compiler ships no ${name} for ${process.platform}`);
  const pkg = path.dirname(require.resolve('miniprogram-compiler/package.json'));
  const bin = path.join(pkg, 'bin', platform.dir, `${name}${platform.suffix}`);
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: is miniprogram-compiler installed?`);
  const runnable = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (runnable(bin)) return bin;
  try {
    fs.chmodSync(bin, 0o755);
    if (runnable(bin)) return bin;
  } catch {
    /* read-only install: fall back to a private copy */
  }
  const copy = path.join(os.tmpdir(), `wm-${name}-${fs.statSync(bin).size}${platform.suffix}`);
  if (!fs.existsSync(copy)) fs.copyFileSync(bin, copy);
  fs.chmodSync(copy, 0o755);
  return copy;
}

function problem(raw: string, pattern: RegExp, fallbackFile: string): CompileProblem {
  const m = pattern.exec(raw);
  if (!m) return { file: fallbackFile, line: 0, column: 0, message: raw.trim(), raw };
  return { file: m[1], line: Number(m[2]), column: Number(m[3]), message: m[4].trim(), raw };
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The files a template or style sheet pulls in, transitively, relative to `root`: `<wxs src>`,
 * `<import src>`, `<include src>` of a template (and `require` of a .wxs), `@import` of a style sheet.
 * WeChat's compilers resolve these only among the files they are given, as DevTools gives them all.
 */
export function referencedFiles(root: string, file: string): string[] {
  const found: string[] = [];
  const visit = (rel: string): void => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    const text = fs.readFileSync(full, 'utf8');
    const pattern = rel.endsWith('.wxss')
      ? /@import\s+['"]([^'"]+)['"]/g
      : /(?:<(?:wxs|import|include)[^>]*\ssrc=|require\(\s*)['"]([^'"]+)['"]/g;
    for (const m of text.matchAll(pattern)) {
      const ref = m[1];
      const ext = path.extname(rel) === '.wxss' ? '.wxss' : ref.endsWith('.wxs') ? '' : '.wxml';
      const target =
        (ref.startsWith('/') ? ref.slice(1) : path.posix.join(path.posix.dirname(rel), ref)) +
        (path.extname(ref) ? '' : ext);
      if (target !== file && !found.includes(target) && fs.existsSync(path.join(root, target))) {
        found.push(target);
        visit(target);
      }
    }
  };
  visit(file);
  return found;
}

/**
 * Compiles one template with wcc, as DevTools does: `wcc -d -cc <components> <file> <its references>
 * -gn $gwx`, run in the mini-program root. `<components>` names the custom components the page's JSON declares.
 * Errors look like `pages/a/index.wxml:3:2: end tag missing, near `view``.
 */
export function compileWxml(root: string, file: string): CompileOutcome {
  const json = readJson(path.join(root, file.replace(/\.wxml$/, '.json')));
  const using = Object.keys((json?.usingComponents as Record<string, string> | undefined) ?? {});
  const components = using.length > 0 ? ['1', file, String(using.length), ...using] : ['0'];
  const files = [file, ...referencedFiles(root, file)];
  const r = spawnSync(compilerPath('wcc'), ['-d', '-cc', components.join(' '), ...files, '-gn', '$gwx'], {
    cwd: root,
    maxBuffer: 64 * MB,
  });
  if (r.error) throw r.error;
  if (r.status === 0) return { ok: true, output: r.stdout.toString('utf8') };
  const raw = `${r.stderr.toString('utf8')}${r.stdout.toString('utf8')}`.trim();
  return { ok: false, problem: problem(raw, /([^\s:]+\.wxml):(\d+):(\d+):\s*([^\n]*)/, file) };
}

/**
 * Compiles one style sheet with wcsc: `wcsc -db -pc <n> <file> <the sheets it imports>`, where n = 1 marks a page's or
 * component's sheet (one with a JSON beside it) and 0 app.wxss or an imported sheet.
 * Errors look like `ERR: pages/a/index.wxss(3:1): unexpected `}``.
 */
export function compileWxss(root: string, file: string): CompileOutcome {
  const isComponent = fs.existsSync(path.join(root, file.replace(/\.wxss$/, '.json'))) && file !== 'app.wxss';
  const files = [file, ...referencedFiles(root, file)];
  const r = spawnSync(compilerPath('wcsc'), ['-db', '-pc', isComponent ? '1' : '0', ...files], {
    cwd: root,
    maxBuffer: 64 * MB,
  });
  if (r.error) throw r.error;
  if (r.status === 0) return { ok: true, output: r.stdout.toString('utf8') };
  const raw = `${r.stderr.toString('utf8')}${r.stdout.toString('utf8')}`.trim();
  return { ok: false, problem: problem(raw, /([^\s:(]+\.wxss)\((\d+):(\d+)\):\s*([^\n]*)/, file) };
}

/** `file:line:column: message`, the form editors and CI logs link. */
export function formatProblem(root: string, p: CompileProblem): string {
  const where = path.relative(process.cwd(), path.join(root, p.file)) || p.file;
  return `${where}:${p.line}:${p.column}: ${p.message}`;
}

/** Compiles every .wxml and .wxss under `root`; answers the problems, one per broken file. */
export function compileAll(root: string): { files: number; problems: CompileProblem[] } {
  const problems: CompileProblem[] = [];
  const wxml = listFiles(root, '.wxml');
  const wxss = listFiles(root, '.wxss');
  for (const f of wxml) {
    const r = compileWxml(root, f);
    if (!r.ok) problems.push(r.problem);
  }
  for (const f of wxss) {
    const r = compileWxss(root, f);
    if (!r.ok) problems.push(r.problem);
  }
  return { files: wxml.length + wxss.length, problems };
}

// ---- package sizes ------------------------------------------------------------------------------

export interface SizedFile {
  path: string;
  bytes: number;
}

export interface PackageSize {
  /** 'main', or the subpackage's root. */
  name: string;
  root: string;
  bytes: number;
  files: SizedFile[];
}

export interface SizeReport {
  packages: PackageSize[];
  total: number;
}

export interface Budgets {
  main: number;
  subpackage: number;
  total: number;
}

/** Below the platform's limits (2 MB main, 2 MB a subpackage, 20 MB in all), to leave headroom. */
export const BUDGETS: Budgets = { main: 1.5 * MB, subpackage: 1.5 * MB, total: 18 * MB };

interface AppJson {
  subpackages?: { root: string; name?: string }[];
  subPackages?: { root: string; name?: string }[];
}

/**
 * How many bytes a file adds to the package. TypeScript is compiled by DevTools and minified on upload
 * (project.config.json: minified): esbuild estimates that output. The module syntax is left as it is,
 * since esbuild's CommonJS helpers are far bigger than the few lines DevTools adds per module.
 * Everything else ships as it is.
 */
export function shippedBytes(file: string): number {
  if (file.endsWith('.ts')) {
    const out = transformSync(fs.readFileSync(file, 'utf8'), {
      loader: 'ts',
      target: 'es2015',
      minify: true,
      sourcefile: file,
    });
    return Buffer.byteLength(out.code);
  }
  return fs.statSync(file).size;
}

/**
 * What each package ships: a file belongs to the subpackage whose root contains it, anything else to
 * the main package (pages, app files, components, services, contract/, miniprogram_npm/). This is what
 * DevTools packs before it drops files nothing uses, so it is an upper bound.
 */
export function measurePackages(root = MINIPROGRAM_ROOT): SizeReport {
  const app = (readJson(path.join(root, 'app.json')) ?? {}) as AppJson;
  const subs = (app.subpackages ?? app.subPackages ?? []).map((s) => s.root.replace(/^\/+|\/+$/g, ''));
  const packages: PackageSize[] = [
    { name: 'main', root: '', bytes: 0, files: [] },
    ...subs.map((r) => ({ name: r, root: r, bytes: 0, files: [] })),
  ];
  for (const rel of listFiles(root)) {
    if (rel === 'package.json' || rel === 'package-lock.json') continue;
    const pkg = packages.find((p) => p.root && (rel === p.root || rel.startsWith(`${p.root}/`))) ?? packages[0];
    const bytes = shippedBytes(path.join(root, rel));
    pkg.files.push({ path: rel.endsWith('.ts') ? `${rel.slice(0, -3)}.js` : rel, bytes });
    pkg.bytes += bytes;
  }
  for (const p of packages) p.files.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return { packages, total: packages.reduce((n, p) => n + p.bytes, 0) };
}

export function formatBytes(n: number): string {
  if (n >= MB) return `${(n / MB).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Each budget a report exceeds, in words. */
export function overBudget(report: SizeReport, budgets: Budgets = BUDGETS): string[] {
  const over: string[] = [];
  for (const p of report.packages) {
    const limit = p.name === 'main' ? budgets.main : budgets.subpackage;
    if (p.bytes > limit) {
      over.push(
        `${p.name === 'main' ? 'main package' : `subpackage ${p.name}`} is ${formatBytes(p.bytes)}, over its ${formatBytes(limit)} budget`,
      );
    }
  }
  if (report.total > budgets.total) {
    over.push(`all packages together are ${formatBytes(report.total)}, over the ${formatBytes(budgets.total)} budget`);
  }
  return over;
}

/** A table of the packages, with their biggest files. */
export function formatReport(report: SizeReport, budgets: Budgets = BUDGETS, biggest = 10): string {
  const lines: string[] = [];
  for (const p of report.packages) {
    const limit = p.name === 'main' ? budgets.main : budgets.subpackage;
    const share = ((p.bytes / limit) * 100).toFixed(1);
    lines.push(
      `${p.name.padEnd(24)} ${formatBytes(p.bytes).padStart(10)}  ${share}% of ${formatBytes(limit)}  (${p.files.length} files)`,
    );
    for (const f of p.files.slice(0, biggest)) lines.push(`    ${formatBytes(f.bytes).padStart(10)}  ${f.path}`);
  }
  const share = ((report.total / budgets.total) * 100).toFixed(1);
  lines.push(
    `${'total'.padEnd(24)} ${formatBytes(report.total).padStart(10)}  ${share}% of ${formatBytes(budgets.total)}`,
  );
  return lines.join('\n');
}
