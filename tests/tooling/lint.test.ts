/**
 * The repository passes ESLint (TypeScript and WXML, eslint.config.mjs) and Stylelint (WXSS,
 * .stylelintrc.json), run through their Node APIs. They run in a child Node process: ESLint loads its
 * flat config with import(), which jest's module sandbox does not allow. A run over deliberately broken
 * files proves the check can fail.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface Problem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

interface LintRun {
  eslint: Problem[];
  stylelint: Problem[];
  eslintFiles: string[];
  stylelintFiles: string[];
}

/** Runs in the child: lints what it is told, answers JSON on stdout. */
const RUNNER = `
import path from 'node:path';
import { ESLint } from 'eslint';
import stylelint from 'stylelint';

const { cwd, eslintTargets, eslintConfig, wxss, stylelintConfig } = JSON.parse(process.env.LINT_JOB);
const rel = (f) => path.relative(cwd, f).split(path.sep).join('/');

const eslint = new ESLint({ cwd, overrideConfigFile: eslintConfig, errorOnUnmatchedPattern: false });
const results = await eslint.lintFiles(eslintTargets);
const styles = await stylelint.lint({ files: wxss, cwd, configFile: stylelintConfig, configBasedir: path.dirname(stylelintConfig), allowEmptyInput: true });

process.stdout.write(JSON.stringify({
  eslintFiles: results.map((r) => rel(r.filePath)),
  // Errors only, as \`npm run lint\` fails on them and not on warnings.
  eslint: results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => ({
    file: rel(r.filePath), line: m.line ?? 0, column: m.column ?? 0,
    rule: m.ruleId ?? (m.fatal ? 'parse-error' : 'eslint'), message: m.message,
  }))),
  stylelintFiles: styles.results.map((r) => rel(r.source)),
  stylelint: styles.results.flatMap((r) => [
    ...r.warnings.map((w) => ({ file: rel(r.source), line: w.line, column: w.column, rule: w.rule, message: w.text })),
    ...(r.invalidOptionWarnings ?? []).map((w) => ({ file: rel(r.source), line: 0, column: 0, rule: 'invalid-option', message: w.text })),
  ]),
}));
`;

function lint(cwd: string, eslintTargets: string[], wxss: string): LintRun {
  const job = {
    cwd,
    eslintTargets,
    eslintConfig: path.join(ROOT, 'eslint.config.mjs'),
    wxss,
    stylelintConfig: path.join(ROOT, '.stylelintrc.json'),
  };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', RUNNER], {
    cwd: ROOT,
    env: { ...process.env, LINT_JOB: JSON.stringify(job) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`the lint runner failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as LintRun;
}

const format = (p: Problem) => `${p.file}:${p.line}:${p.column}  ${p.rule}  ${p.message}`;

test('the repository passes ESLint and Stylelint', () => {
  const run = lint(ROOT, ['.'], 'miniprogram/**/*.wxss');

  expect([...run.eslint, ...run.stylelint].map(format)).toEqual([]);
  // It really looked: TypeScript on both sides, the templates and the style sheets.
  expect(run.eslintFiles).toEqual(
    expect.arrayContaining(['miniprogram/app.ts', 'miniprogram/pages/home/index.wxml', 'eslint.config.mjs']),
  );
  expect(run.eslintFiles.some((f) => f.startsWith('cloudfunctions/'))).toBe(true);
  expect(run.eslintFiles.some((f) => f.startsWith('miniprogram/contract/'))).toBe(false);
  expect(run.stylelintFiles).toEqual(
    expect.arrayContaining(['miniprogram/app.wxss', 'miniprogram/pages/home/index.wxss']),
  );
}, 120000);

test('broken TypeScript, WXML and WXSS are reported with file, line and rule', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-lint-'));
  try {
    fs.writeFileSync(path.join(dir, 'bad.ts'), 'export const value: any = 1;\n');
    fs.writeFileSync(path.join(dir, 'bad.wxml'), '<view>\n  <text wx:for="{{list}}">{{item}}</text>\n</view>\n');
    fs.writeFileSync(
      path.join(dir, 'bad.wxss'),
      '.wm-card {\n  width: 10rpx;\n}\n\n.card_title:active {\n  color: red;\n}\n',
    );

    const run = lint(dir, ['.'], '**/*.wxss');

    expect(run.eslint.map(format)).toEqual([
      expect.stringMatching(/^bad\.ts:1:\d+ {2}@typescript-eslint\/no-explicit-any /),
      expect.stringMatching(/^bad\.wxml:2:\d+ {2}wxml\/wx-key /),
    ]);
    const rules = run.stylelint.map((p) => `${p.file}:${p.line} ${p.rule}`).sort();
    expect(rules).toEqual(['bad.wxss:5 selector-class-pattern', 'bad.wxss:5 selector-pseudo-class-disallowed-list']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60000);

test('the layer rules fail a store-bypassing action, an impure domain module, a write to another store’s collection and a file past 400 lines', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-layers-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  try {
    // An action reaching the database itself.
    write(
      'cloudfunctions/order/actions/bad.ts',
      "import { database } from '../../shared/runtime/sdk';\nexport const all = () => database().collection('orders');\n",
    );
    // A domain module importing a store, beside one importing only typings/ and domain/ (allowed).
    write(
      'cloudfunctions/shared/order/domain/bad.ts',
      "import { findOrder } from '../store';\nexport const find = findOrder;\n",
    );
    write(
      'cloudfunctions/shared/order/domain/good.ts',
      "import type { OrderStatus } from '../../../../typings/order';\nimport { pathOf } from '../../org/domain/model';\nexport const ok: [OrderStatus, typeof pathOf] | null = null;\n",
    );
    // The user store writing orders (the order store's), and the order store writing its own (allowed).
    const store = (name: string) =>
      `import { database } from '../runtime/sdk';\nexport const put = () => database().collection('${name}').add({ data: {} });\n`;
    write('cloudfunctions/shared/user/store.ts', store('orders'));
    write('cloudfunctions/shared/order/store.ts', store('orders'));
    // A store's second file owns what its store owns, and no more.
    write('cloudfunctions/shared/user/store-more.ts', store('orders'));
    write('cloudfunctions/shared/order/store-more.ts', store('orders'));
    // A source file past 400 lines, beside one of 400 (allowed).
    write('cloudfunctions/shared/order/long.ts', 'export const n = 1;\n'.repeat(401));
    write('cloudfunctions/shared/order/full.ts', 'export {};\n'.repeat(400));

    const run = lint(dir, ['cloudfunctions'], 'none/**/*.wxss');

    expect(run.eslint.map((p) => `${p.file}:${p.line} ${p.rule}`)).toEqual([
      'cloudfunctions/order/actions/bad.ts:1 no-restricted-imports',
      'cloudfunctions/order/actions/bad.ts:2 no-restricted-syntax',
      'cloudfunctions/shared/order/domain/bad.ts:1 no-restricted-imports',
      'cloudfunctions/shared/order/long.ts:401 max-lines',
      'cloudfunctions/shared/user/store-more.ts:2 no-restricted-syntax',
      'cloudfunctions/shared/user/store.ts:2 no-restricted-syntax',
    ]);
    expect(run.eslintFiles).toContain('cloudfunctions/shared/order/domain/good.ts');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60000);
