/**
 * Text follows the phone's font size on every page (miniprogram/base/text-scale.ts): each page that
 * app.json registers opens with the <page-meta> that puts the scale on its root, and running text is
 * sized with the type tokens that use it. A literal font size is left only to display figures and
 * glyphs (52rpx and more). The second block shows both checks failing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listFiles, MINIPROGRAM_ROOT } from '../../scripts/lib/miniprogram';

const PAGE_META = '<page-meta page-style="{{wmTextStyle}}"></page-meta>';
const DISPLAY_MIN_RPX = 52;

interface AppJson {
  pages: string[];
  subpackages?: { root: string; pages: string[] }[];
}

function pagesOf(root: string): string[] {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as AppJson;
  return [...app.pages, ...(app.subpackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
}

/** Pages whose WXML does not open with the page-meta. */
function pagesWithoutScale(root: string): string[] {
  return pagesOf(root).filter((p) => !fs.readFileSync(path.join(root, `${p}.wxml`), 'utf8').startsWith(PAGE_META));
}

/**
 * Rules of a packed library (miniprogram_npm, one rule a line) whose literal size our pages never draw:
 * file → selector → why. Any other literal size a library brings is reported like our own.
 */
const NOT_DRAWN: Record<string, Record<string, string>> = {
  'miniprogram_npm/tdesign-miniprogram/grid-item/grid-item.wxss': {
    '.t-grid-item__icon':
      'the grid item’s icon, pruned (PRUNED in scripts/lib/miniprogram-npm.ts): the category picker sets none',
  },
};

/** `file:line font-size: …` for each literal size under the display minimum. */
function literalTextSizes(root: string, notDrawn: Record<string, Record<string, string>> = {}): string[] {
  const found: string[] = [];
  for (const file of listFiles(root, '.wxss')) {
    const skip = Object.keys(notDrawn[file] ?? {});
    fs.readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (skip.some((selector) => line.startsWith(`${selector}{`))) return;
        const m = /font-size:\s*([^;]+);/.exec(line);
        if (!m || m[1].includes('var(--wm-font-size-')) return;
        const rpx = /^(\d+(?:\.\d+)?)rpx$/.exec(m[1].trim());
        if (!rpx || Number(rpx[1]) < DISPLAY_MIN_RPX) found.push(`${file}:${i + 1} ${m[0]}`);
      });
  }
  return found;
}

test('every page opens with the page-meta that gives it the text scale', () => {
  expect(pagesOf(MINIPROGRAM_ROOT).length).toBeGreaterThan(30);
  expect(pagesWithoutScale(MINIPROGRAM_ROOT)).toEqual([]);
});

test('running text is sized with the type tokens', () => {
  expect(literalTextSizes(MINIPROGRAM_ROOT, NOT_DRAWN)).toEqual([]);
});

describe('the checks fail where they should', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-scale-'));
    fs.mkdirSync(path.join(root, 'pages', 'a'), { recursive: true });
    fs.mkdirSync(path.join(root, 'pages', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'app.json'), JSON.stringify({ pages: ['pages/a/index', 'pages/b/index'] }));
    fs.writeFileSync(path.join(root, 'pages', 'a', 'index.wxml'), `${PAGE_META}\n<view>a</view>\n`);
    fs.writeFileSync(path.join(root, 'pages', 'b', 'index.wxml'), '<view>b</view>\n');
    fs.writeFileSync(
      path.join(root, 'pages', 'b', 'index.wxss'),
      '.x { font-size: var(--wm-font-size-base); }\n.y {\n  font-size: 28rpx;\n}\n.big { font-size: 96rpx; }\n',
    );
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a page without the page-meta is named', () => {
    expect(pagesWithoutScale(root)).toEqual(['pages/b/index']);
  });

  test('a literal text size is named with its line; a display size is not', () => {
    expect(literalTextSizes(root)).toEqual(['pages/b/index.wxss:3 font-size: 28rpx;']);
  });

  test('a library rule is let through only when listed as never drawn', () => {
    fs.mkdirSync(path.join(root, 'miniprogram_npm', 'lib'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'miniprogram_npm', 'lib', 'item.wxss'),
      '.l-icon{font-size:48rpx;}\n.l-text{font-size:28rpx;}\n',
    );
    const notDrawn = { 'miniprogram_npm/lib/item.wxss': { '.l-icon': 'not drawn' } };
    expect(literalTextSizes(root, notDrawn)).toEqual([
      'miniprogram_npm/lib/item.wxss:2 font-size:28rpx;',
      'pages/b/index.wxss:3 font-size: 28rpx;',
    ]);
  });
});
