/**
 * Canvas 2D in the drawn screens. miniprogram-simulate has no canvas: a component that draws on a
 * `<canvas type="2d">` (the command center's charts, packages/admin/components/stats-chart) finds no
 * node under jest and draws nothing. So the serializer writes each 2D canvas as an HTML canvas marked
 * with its component's file and data (`canvasMark`), and the drawn page carries that component's own
 * code, bundled for the browser by esbuild (`canvasScript`). In Chromium each marked canvas gets an
 * instance of its component with that data, whose selector query answers the canvas itself at its laid
 * out size, and the component's `ready` lifetime runs: the chart is drawn by the component's code with
 * the browser's canvas 2D, at the size the phone's layout gives it, as WeChat does on a phone.
 * esbuild runs as its command (its JS API refuses jsdom's Uint8Array).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface WxHost {
  is: string;
  data: Record<string, unknown>;
}
export interface CanvasElement {
  ownerShadowRoot?: { __wxHost?: WxHost };
}

// j-component (under miniprogram-simulate) keeps each registered component by id, with its path (the
// leading / taken off).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jComponent = require('j-component/src/tool/utils') as { cache(id: string): { path?: string } | undefined };

export const CANVAS_ATTR = 'data-wm-canvas';

/** What a 2D canvas is drawn from: its component's file and data, or null when simulate kept none. */
export function canvasMark(el: CanvasElement | undefined): { file: string; data: Record<string, unknown> } | null {
  const host = el?.ownerShadowRoot?.__wxHost;
  const file = host ? jComponent.cache(host.is)?.path : undefined;
  return host && file ? { file: path.resolve('/', file), data: host.data } : null;
}

const bundles = new Map<string, string>();

/** The components' code for the browser: `Component()` keeps each one's options by file. */
function bundle(files: readonly string[]): string {
  const key = files.join('\n');
  const hit = bundles.get(key);
  if (hit !== undefined) return hit;
  const contents = [
    'const kept = (globalThis.__wmCanvasComponents = {});',
    'let file = "";',
    'globalThis.Component = (options) => { kept[file] = options; return file; };',
    ...files.map((f) => `file = ${JSON.stringify(f)}; require(${JSON.stringify(f)});`),
  ].join('\n');
  const js = execFileSync(
    require.resolve('esbuild/bin/esbuild'),
    ['--bundle', '--format=iife', '--platform=browser', '--target=chrome110', '--log-level=warning', '--loader=js'],
    { input: contents, cwd: __dirname, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  bundles.set(key, js);
  return js;
}

/**
 * Runs in the drawn page after layout: each marked canvas gets its component, with `wx` as far as
 * drawing needs it (the phone's pixel ratio) and a selector query answering the canvas itself.
 */
const RUN = `(() => {
  globalThis.wx = { getWindowInfo: () => ({ pixelRatio: devicePixelRatio, windowWidth: innerWidth, windowHeight: innerHeight }) };
  for (const el of document.querySelectorAll('canvas[${CANVAS_ATTR}]')) {
    const { file, data } = JSON.parse(el.getAttribute('${CANVAS_ATTR}'));
    const options = globalThis.__wmCanvasComponents[file];
    if (!options) continue;
    const self = { is: file, data, setData(d) { Object.assign(this.data, d); } };
    const answer = (sel) => {
      const r = el.getBoundingClientRect();
      return el.matches(sel) ? { node: el, width: r.width, height: r.height } : null;
    };
    self.createSelectorQuery = () => ({
      select: (sel) => ({ fields: () => ({ exec: (cb) => cb([answer(sel)]) }), boundingClientRect: () => ({ exec: (cb) => cb([answer(sel)]) }) }),
    });
    for (const [name, fn] of Object.entries(options.methods || {})) self[name] = fn.bind(self);
    const ready = (options.lifetimes && options.lifetimes.ready) || options.ready;
    if (ready) ready.call(self);
  }
})();`;

/** The script a drawn page needs for its canvases (none: empty). */
export function canvasScript(html: string): string {
  const files = new Set<string>();
  const re = new RegExp(`${CANVAS_ATTR}="([^"]*)"`, 'g');
  for (const m of html.matchAll(re)) {
    const mark = JSON.parse(
      m[1]
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ) as {
      file: string;
    };
    files.add(mark.file);
  }
  if (files.size === 0) return '';
  return `<script>${bundle([...files].sort())}\n${RUN}</script>`;
}
