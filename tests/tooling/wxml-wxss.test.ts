/**
 * Every template and style sheet of the mini-program compiles with WeChat's own compilers (wcc, wcsc
 * from miniprogram-compiler), the closest thing to the DevTools build that runs here. A broken file
 * fails the run with its file and line; the second block proves the check can fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compileAll,
  compilerPath,
  compileWxml,
  compileWxss,
  formatProblem,
  listFiles,
  MINIPROGRAM_ROOT,
} from '../../scripts/lib/miniprogram';

test('wcc and wcsc are runnable', () => {
  for (const name of ['wcc', 'wcsc'] as const) {
    expect(() => fs.accessSync(compilerPath(name), fs.constants.X_OK)).not.toThrow();
  }
});

test('every .wxml and .wxss under miniprogram/ compiles', () => {
  const { files, problems } = compileAll(MINIPROGRAM_ROOT);

  expect(problems.map((p) => formatProblem(MINIPROGRAM_ROOT, p))).toEqual([]);
  expect(files).toBeGreaterThanOrEqual(listFiles(MINIPROGRAM_ROOT, '.wxml').length + 2);
});

test('the home page compiles to a render function', () => {
  const r = compileWxml(MINIPROGRAM_ROOT, 'pages/home/index.wxml');
  expect(r.ok && r.output).toContain('$gwx');
});

describe('a broken file is reported with its file and line', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-wxml-'));
    fs.mkdirSync(path.join(root, 'pages', 'broken'), { recursive: true });
    fs.writeFileSync(path.join(root, 'pages', 'broken', 'index.json'), '{ "usingComponents": {} }\n');
    // Line 3 has a stray interpolation where an attribute should be.
    fs.writeFileSync(
      path.join(root, 'pages', 'broken', 'index.wxml'),
      '<view class="wm-page">\n  <text>{{greeting}}</text>\n  <text class="wm-tag" {{label}}>x</text>\n</view>\n',
    );
    // Line 2 closes its rule twice.
    fs.writeFileSync(
      path.join(root, 'pages', 'broken', 'index.wxss'),
      '.wm-page { font-size: 36rpx; }\n.wm-card { color: red; }}\n.wm-tag { color: blue; }\n',
    );
    fs.writeFileSync(path.join(root, 'app.wxss'), 'page { color: #000; }\n');
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('wcc names the template and the line', () => {
    const r = compileWxml(root, 'pages/broken/index.wxml');

    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.file).toBe('pages/broken/index.wxml');
    expect(r.problem.line).toBe(3);
    expect(formatProblem(root, r.problem)).toMatch(/pages\/broken\/index\.wxml:3:\d+: .+/);
  });

  test('wcsc names the style sheet and the line', () => {
    const r = compileWxss(root, 'pages/broken/index.wxss');

    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.file).toBe('pages/broken/index.wxss');
    expect(r.problem.line).toBe(2);
    expect(formatProblem(root, r.problem)).toMatch(/pages\/broken\/index\.wxss:2:\d+: .+/);
  });

  test('compileAll lists both broken files and passes the sound one', () => {
    const { files, problems } = compileAll(root);

    expect(files).toBe(3);
    expect(problems.map((p) => p.file).sort()).toEqual(['pages/broken/index.wxml', 'pages/broken/index.wxss']);
  });
});
