/**
 * The mini-program's library components are packed as 构建 npm lays them out, with only what is used:
 * a small library stands in for tdesign-miniprogram, so the test shows what is packed, what is left
 * out, and the refusals (an undeclared package, a prune of a tag that is always drawn).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MINIPROGRAM_ROOT } from '../../scripts/lib/miniprogram';
import { npmComponentsUsed, packNpm } from '../../scripts/lib/miniprogram-npm';

let dir: string;
const write = (rel: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
};
const root = () => path.join(dir, 'mp');
const packageDir = (name: string) => path.join(dir, 'libs', name);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-npm-'));
  write('mp/package.json', JSON.stringify({ dependencies: { lib: '1.0.0', helpers: '2.0.0' } }));
  write('mp/components/sheet/index.json', JSON.stringify({ usingComponents: { 'l-popup': 'lib/popup/popup' } }));
  write('mp/pages/a/index.json', JSON.stringify({ usingComponents: { sheet: '/components/sheet/index' } }));
  write('libs/lib/package.json', JSON.stringify({ name: 'lib', miniprogram: 'dist' }));
  write(
    'libs/lib/dist/popup/popup.json',
    JSON.stringify({ component: true, usingComponents: { 'l-mask': '../mask/mask' } }),
  );
  write('libs/lib/dist/popup/popup.js', 'import{__decorate}from"helpers";import c from"../common/config";');
  write('libs/lib/dist/popup/popup.wxml', '<wxs src="../common/utils.wxs" module="_"/><view><slot/></view>');
  write('libs/lib/dist/popup/popup.wxss', "@import '../common/style.wxss';.l-popup{position:fixed}");
  write('libs/lib/dist/mask/mask.json', '{"component":true}');
  write('libs/lib/dist/mask/mask.js', 'Component({});');
  write('libs/lib/dist/mask/mask.wxml', '<view/>');
  write('libs/lib/dist/common/config.js', 'export default {};');
  write('libs/lib/dist/common/utils.wxs', 'module.exports = {};');
  write('libs/lib/dist/common/style.wxss', '.x{}');
  write('libs/lib/dist/button/button.json', '{"component":true}');
  write('libs/lib/dist/button/button.js', 'Component({});');
  write('libs/helpers/package.json', JSON.stringify({ name: 'helpers', main: 'helpers.js' }));
  write('libs/helpers/helpers.js', 'exports.__decorate = function () {};');
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('finds the library components the mini-program names', () => {
  expect(npmComponentsUsed(root())).toEqual(['lib/popup/popup']);
});

test('packs a used component with what it references, and nothing else', () => {
  const { files } = packNpm({ root: root(), packageDir });
  expect(files).toEqual([
    'miniprogram_npm/helpers/index.js',
    'miniprogram_npm/lib/common/config.js',
    'miniprogram_npm/lib/common/style.wxss',
    'miniprogram_npm/lib/common/utils.wxs',
    'miniprogram_npm/lib/mask/mask.js',
    'miniprogram_npm/lib/mask/mask.json',
    'miniprogram_npm/lib/mask/mask.wxml',
    'miniprogram_npm/lib/popup/popup.js',
    'miniprogram_npm/lib/popup/popup.json',
    'miniprogram_npm/lib/popup/popup.wxml',
    'miniprogram_npm/lib/popup/popup.wxss',
  ]);
  expect(fs.existsSync(path.join(root(), 'miniprogram_npm/lib/button'))).toBe(false);
  // A second pack starts afresh: nothing stale stays behind.
  write('mp/miniprogram_npm/lib/old/old.js', '');
  packNpm({ root: root(), packageDir });
  expect(fs.existsSync(path.join(root(), 'miniprogram_npm/lib/old'))).toBe(false);
});

test('refuses a component of a package miniprogram/package.json does not declare', () => {
  write('mp/package.json', JSON.stringify({ dependencies: { helpers: '2.0.0' } }));
  expect(() => packNpm({ root: root(), packageDir })).toThrow(/add lib to miniprogram\/package.json/);
});

test('refuses a runtime import of an undeclared package (tslib for tdesign)', () => {
  write('mp/package.json', JSON.stringify({ dependencies: { lib: '1.0.0' } }));
  expect(() => packNpm({ root: root(), packageDir })).toThrow(/imports helpers: add it/);
});

test('the real pack (scripts/build.ts): TDesign’s popup without its 112 KB icon, so no font from tdesign.gtimg.com', () => {
  const npm = path.join(MINIPROGRAM_ROOT, 'miniprogram_npm');
  const popup = JSON.parse(fs.readFileSync(path.join(npm, 'tdesign-miniprogram/popup/popup.json'), 'utf8')) as {
    usingComponents: Record<string, string>;
  };
  expect(popup.usingComponents).toEqual({ 't-overlay': '../overlay/overlay' });
  expect(fs.existsSync(path.join(npm, 'tdesign-miniprogram/icon'))).toBe(false);
  expect(fs.existsSync(path.join(npm, 'tslib/index.js'))).toBe(true);
});

describe('pruning a tag a library component declares', () => {
  // lib's popup declares l-icon; the sheet never sets `close`, the property that draws it.
  const prunes = { 'lib/popup/popup': { 'l-icon': { why: 'only for close', drawnWith: ['close'] } } };
  const popup = (wxml: string) => {
    write(
      'libs/lib/dist/popup/popup.json',
      JSON.stringify({ component: true, usingComponents: { 'l-mask': '../mask/mask', 'l-icon': '../icon/icon' } }),
    );
    write('libs/lib/dist/popup/popup.wxml', wxml);
    write('libs/lib/dist/icon/icon.json', '{"component":true}');
    write('libs/lib/dist/icon/icon.wxss', '.l-icon{}');
    write('libs/lib/dist/common/icon.wxml', '<template name="icon"><l-icon name="{{name}}"/></template>');
    write('libs/lib/dist/common/boxed.wxml', '<template name="boxed"><view><template is="icon"/></view></template>');
  };
  const pack = () => packNpm({ root: root(), packageDir, pruned: prunes });

  test('drops it when every way of drawing it is behind a wx:if, here or on an enclosing element', () => {
    popup(
      '<import src="../common/icon.wxml"/><wxs module="u">module.exports = 1 < 2;</wxs>' +
        '<view><l-icon wx:if="{{close}}"/><view wx:if="{{close}}"><template is="icon" data="{{name}}"/></view></view>',
    );
    const { files } = pack();
    expect(files.some((f) => f.includes('/icon/'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(root(), 'miniprogram_npm/lib/popup/popup.json'), 'utf8'))).toEqual({
      component: true,
      usingComponents: { 'l-mask': '../mask/mask' },
    });
  });

  test.each([
    ['the tag itself', '<view><l-icon/></view>'],
    ['a template that draws it', '<import src="../common/icon.wxml"/><view><template is="icon"/></view>'],
    [
      'a template that calls one that draws it',
      '<import src="../common/icon.wxml"/><import src="../common/boxed.wxml"/><template is="boxed"/>',
    ],
    ['an included file that draws it', '<view wx:if="{{a}}"></view><include src="../common/bare.wxml"/>'],
  ])('refuses when %s is drawn unconditionally', (_what, wxml) => {
    write('libs/lib/dist/common/bare.wxml', '<l-icon/>');
    popup(wxml);
    expect(pack).toThrow(/popup\/popup.wxml draws <l-icon> unconditionally: not prunable/);
  });

  test('refuses when one of our templates sets the property that draws it', () => {
    popup('<view><l-icon wx:if="{{close}}"/></view>');
    write('mp/components/sheet/index.wxml', '<l-popup visible="{{shown}}" close="{{true}}"><view/></l-popup>');
    expect(pack).toThrow(/components\/sheet\/index.wxml sets close on <l-popup>, which draws <l-icon>/);
  });
});

test('the real pack: TDesign’s grid item without its badge, image and icon (the tiles are the category picker’s own)', () => {
  const npm = path.join(MINIPROGRAM_ROOT, 'miniprogram_npm', 'tdesign-miniprogram');
  const item = JSON.parse(fs.readFileSync(path.join(npm, 'grid-item/grid-item.json'), 'utf8')) as {
    usingComponents: Record<string, string>;
  };
  expect(item.usingComponents).toEqual({});
  for (const dir of ['badge', 'image', 'icon', 'loading']) expect(fs.existsSync(path.join(npm, dir))).toBe(false);
});
