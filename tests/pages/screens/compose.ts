/**
 * Wraps a captured page in what WeChat draws around it (status bar, navigation bar with the capsule,
 * the tab bar from app.json with its icons) and the styles it runs with: WeChat's defaults for its
 * built-in tags, the `style: v2` button width rule, the app's, every component's and the page's WXSS
 * (@import resolved, 1rpx = 0.5px at 375 px). The page's <page-meta page-style> (the text scale the
 * page read from WeChat, base/text-scale.ts) goes on its root node. `fontScale` sets that scale for a
 * page captured at another size and also enlarges every literal font size (stricter than WeChat).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MINIPROGRAM_ROOT as MP } from '../harness';
import { canvasScript } from './canvas';

export const PHONE = { width: 375, height: 812, scale: 2 };

export interface Capture {
  name: string;
  route: string;
  html: string;
  /** Opened with navigateTo: a back arrow in the navigation bar. */
  back?: boolean;
  /** A toast drawn over the page, as the villager sees it at that moment. */
  toast?: string;
  fontScale?: number;
}

interface TabItem {
  pagePath: string;
  text: string;
  iconPath?: string;
  selectedIconPath?: string;
}
interface AppJson {
  window?: Record<string, string>;
  tabBar?: { color?: string; selectedColor?: string; backgroundColor?: string; list: TabItem[] };
}
const readJson = <T>(file: string, fallback: T): T =>
  fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : fallback;

/** rpx as the phone turns it into px: 750rpx is the screen's width. */
export const rpx = (css: string) =>
  css.replace(/(-?\d*\.?\d+)rpx/g, (_, n: string) => `${+(Number(n) * (PHONE.width / 750)).toFixed(3)}px`);

const scaleFonts = (css: string, k: number) =>
  k === 1
    ? css
    : // Literal sizes and the design tokens that hold them (--wm-font-size-base: 18px) alike.
      css.replace(
        /(font-size[\w-]*):\s*(\d*\.?\d+)px/g,
        (_, prop: string, n: string) => `${prop}:${(Number(n) * k).toFixed(2)}px`,
      );

function wxss(file: string, seen = new Set<string>()): string {
  if (!fs.existsSync(file) || seen.has(file)) return '';
  seen.add(file);
  return fs
    .readFileSync(file, 'utf8')
    .replace(/@import\s+(?:"([^"]+)"|'([^']+)')\s*;/g, (_, a?: string, b?: string) => {
      const p = a ?? b ?? '';
      const target = p.startsWith('/') ? path.join(MP, p) : path.resolve(path.dirname(file), p);
      return wxss(target.endsWith('.wxss') ? target : `${target}.wxss`, seen);
    });
}

/**
 * The shared components' WXSS, and that of the components the page and they use from elsewhere (a
 * subpackage's own, a library's from miniprogram_npm).
 */
function componentCss(route: string): string {
  const dir = path.join(MP, 'components');
  const files = new Set(fs.readdirSync(dir).map((c) => path.join(dir, c, 'index')));
  const visit = (file: string) => {
    const json = readJson<{ usingComponents?: Record<string, string> }>(`${file}.json`, {});
    for (const p of Object.values(json.usingComponents ?? {})) {
      // A library component (`tdesign-miniprogram/popup/popup`) is read from miniprogram_npm, as WeChat does.
      const target = p.startsWith('/')
        ? path.join(MP, p)
        : p.startsWith('.')
          ? path.resolve(path.dirname(file), p)
          : path.join(MP, 'miniprogram_npm', p);
      if (files.has(target) || !fs.existsSync(`${target}.json`)) continue;
      files.add(target);
      visit(target);
    }
  };
  const shared = [...files];
  visit(path.join(MP, route));
  for (const f of shared) visit(f);
  return [...files].map((f) => wxss(`${f}.wxss`)).join('\n');
}

/* WeChat's built-in tags: their default display and the look of the native widgets. */
const BASE = `
html,body{margin:0;padding:0;background:#fff}
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC",sans-serif;-webkit-font-smoothing:antialiased;-webkit-text-size-adjust:none}
page{display:block;font-size:16px;line-height:normal}
wx-view,wx-scroll-view,wx-swiper,wx-swiper-item,wx-form,wx-navigator,wx-cover-view,wx-rich-text{display:block}
wx-scroll-view[scroll-x]{overflow-x:auto}
wx-text{display:inline;white-space:pre-wrap}
wx-button{position:relative;display:block;margin-left:auto;margin-right:auto;padding:8px 24px;box-sizing:border-box;font-size:17px;font-weight:700;text-align:center;line-height:1.41176471;border-radius:4px;overflow:hidden;color:#000;background-color:#f2f2f2;font-family:inherit}
wx-button[disabled]:not([type]){color:rgba(0,0,0,.3);background-color:#f7f7f7}
wx-button:not([size=mini]){width:184px}
wx-input{display:block;height:1.4rem;min-height:1.4rem;overflow:hidden;white-space:nowrap}
.wx-input-inner{display:flex;align-items:center;height:100%;overflow:hidden;white-space:nowrap}
wx-textarea{display:block;position:relative;width:300px;height:150px}
wx-textarea[auto-height]{height:auto;min-height:1.5em}
.wx-textarea-inner{display:block;white-space:pre-wrap;word-break:break-all}
.wx-placeholder{color:#808080}
wx-image{display:inline-block;position:relative;width:320px;height:240px;overflow:hidden}
wx-image img{display:block;width:100%;height:100%;object-fit:fill}
wx-image img[data-mode=aspectFill]{object-fit:cover}
wx-image img[data-mode=aspectFit]{object-fit:contain}
wx-map{display:block;position:relative;width:300px;height:150px;overflow:hidden}
wx-switch{display:inline-block;width:52px;height:32px;border-radius:16px;background:#e5e5e5;position:relative}
wx-switch[checked]{background:#b3141b}
wx-icon{display:inline-block}
[hidden]{display:none!important}
wx-page-meta{display:none}
`;

function chrome(app: AppJson): string {
  const win = app.window ?? {};
  const bar = app.tabBar;
  return `
.wx-phone{position:relative;width:${PHONE.width}px;display:flex;flex-direction:column;background:${win.backgroundColor ?? '#fff'};overflow:hidden}
.wx-phone.fold{height:${PHONE.height}px}
.wx-top{flex:none;background:${win.navigationBarBackgroundColor ?? '#000'};color:${win.navigationBarTextStyle === 'black' ? '#000' : '#fff'}}
.wx-status{height:44px;display:flex;align-items:center;padding:0 32px;font:600 15px sans-serif}
.wx-nav{height:44px;position:relative;display:flex;align-items:center;justify-content:center}
.wx-nav .title{font:600 17px "Noto Sans CJK SC",sans-serif;max-width:200px;white-space:nowrap;overflow:hidden}
.wx-nav .back{position:absolute;left:8px;top:0;height:44px;width:36px;display:flex;align-items:center;justify-content:center}
.wx-nav .back:before{content:"";width:11px;height:11px;border-left:2.5px solid currentColor;border-bottom:2.5px solid currentColor;transform:rotate(45deg);margin-left:6px}
.wx-nav .capsule{position:absolute;right:7px;top:6px;width:87px;height:32px;box-sizing:border-box;border-radius:16px;border:.5px solid rgba(255,255,255,.35);background:rgba(0,0,0,.15)}
.wx-body{flex:1 1 auto;position:relative;overflow:hidden;transform:translateZ(0);background:${win.backgroundColor ?? '#fff'}}
.wx-phone.full .wx-body{overflow:visible}
.wx-body>page{min-height:100%}
.wx-tabbar{flex:none;height:84px;box-sizing:border-box;padding:4px 0 34px;display:flex;background:${bar?.backgroundColor ?? '#fff'};border-top:.5px solid rgba(0,0,0,.33)}
.wx-tabbar .tab{flex:1;display:flex;flex-direction:column;align-items:center;justify-content:center;font:500 12px "Noto Sans CJK SC",sans-serif;color:${bar?.color ?? '#7a7e83'}}
.wx-tabbar .tab img{width:24px;height:24px;margin-bottom:2px}
.wx-tabbar .tab.on{color:${bar?.selectedColor ?? '#07c160'}}
.wx-toast{position:absolute;left:50%;top:45%;transform:translate(-50%,-50%);min-width:120px;padding:20px 16px;border-radius:12px;background:rgba(17,17,17,.75);color:#fff;text-align:center;font:17px "Noto Sans CJK SC",sans-serif;z-index:10}
.wx-map-fake{position:absolute;inset:0;background:#eaf1e4 repeating-linear-gradient(90deg,transparent 0 78px,#fff 78px 82px)}
`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function composeHtml(cap: Capture, mode: 'fold' | 'full'): string {
  const app = readJson<AppJson>(path.join(MP, 'app.json'), {});
  const pj = readJson<Record<string, string>>(path.join(MP, `${cap.route}.json`), {});
  const title = pj.navigationBarTitleText ?? app.window?.navigationBarTitleText ?? '';
  const tabs = app.tabBar?.list ?? [];
  const tabIndex = tabs.findIndex((t) => t.pagePath === cap.route);
  const icon = (file?: string) => (file ? `<img src="file://${path.join(MP, file)}">` : '');
  const tabbar =
    tabIndex >= 0
      ? `<div class="wx-tabbar">${tabs
          .map((t, i) => {
            const on = i === tabIndex;
            return `<div class="tab${on ? ' on' : ''}">${icon(on ? t.selectedIconPath : t.iconPath)}${esc(t.text)}</div>`;
          })
          .join('')}</div>`
      : '';
  const css = scaleFonts(
    rpx(`${wxss(path.join(MP, 'app.wxss'))}\n${componentCss(cap.route)}\n${wxss(path.join(MP, `${cap.route}.wxss`))}`),
    cap.fontScale ?? 1,
  );
  const metaStyle = /<wx-page-meta[^>]*\sdata-page-style="([^"]*)"/.exec(cap.html)?.[1] ?? '';
  const pageStyle = `${metaStyle}${cap.fontScale ? `--wm-text-scale: ${cap.fontScale};` : ''}`;
  const toast = cap.toast ? `<div class="wx-toast">${esc(cap.toast)}</div>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=${PHONE.width}">
<style>${scaleFonts(BASE, cap.fontScale ?? 1)}</style><style>${chrome(app)}</style><style>${css}</style></head>
<body><div class="wx-phone ${mode}">
<div class="wx-top"><div class="wx-status">9:41</div>
<div class="wx-nav">${cap.back && tabIndex < 0 ? '<span class="back"></span>' : ''}<span class="title">${esc(title)}</span><div class="capsule"></div></div></div>
<div class="wx-body"><page${pageStyle ? ` style="${pageStyle}"` : ''}>${cap.html}</page></div>${tabbar}${toast}
</div>
${canvasScript(cap.html)}
<script>for (const m of document.querySelectorAll('.wx-map-data')) { const f = document.createElement('div'); f.className = 'wx-map-fake'; m.replaceWith(f); }</script>
</body></html>`;
}

/**
 * Runs in the drawn page: what a phone would get wrong. Boxes reaching past the screen's right edge
 * (unless a horizontal scroller or a clipping box holds them), tap targets under 44 px tall, canvases
 * nothing was drawn on (a `wx-canvas` the renderer could not give its component, or a canvas with no
 * pixel painted), and the page's full height.
 */
export const LAYOUT_PROBE = `(() => {
  const W = ${PHONE.width};
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' "' + (el.textContent || '').trim().slice(0, 20) + '"';
  const clipped = (el) => {
    for (let p = el.parentElement; p && !p.classList.contains('wx-body'); p = p.parentElement) {
      const s = getComputedStyle(p);
      if (p.hasAttribute('scroll-x') || s.overflowX !== 'visible') return true;
    }
    return false;
  };
  const visible = (el, r) => r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  const overflow = [];
  const small = [];
  // style v2's 184 px rule winning over a page's width: the label wraps or the button looks lost.
  for (const b of document.querySelectorAll('.wx-body wx-button:not([size=mini])')) {
    if (Math.round(b.getBoundingClientRect().width) === 184) small.push(name(b) + ' is 184px wide (style v2)');
  }
  for (const el of document.querySelectorAll('.wx-body *')) {
    const r = el.getBoundingClientRect();
    if (!visible(el, r)) continue;
    if ((r.right > W + 1 || r.left < -1) && !clipped(el)) overflow.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    if (el.hasAttribute('data-tap') && r.height < 44) small.push(name(el) + ' ' + Math.round(r.height) + 'px tall');
  }
  const blank = [...document.querySelectorAll('.wx-body wx-canvas')].map((c) => name(c) + ' not drawn');
  for (const c of document.querySelectorAll('.wx-body canvas')) {
    const px = c.width && c.height ? c.getContext('2d').getImageData(0, 0, c.width, c.height).data : [];
    if (!px.some((v, i) => i % 4 === 3 && v > 0)) blank.push(name(c) + ' blank');
  }
  const body = document.querySelector('.wx-body');
  return { overflow, small, blank, height: Math.ceil(document.querySelector('.wx-phone').getBoundingClientRect().height), bodyHeight: Math.ceil(body.scrollHeight) };
})()`;
