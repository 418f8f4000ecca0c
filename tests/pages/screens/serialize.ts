/**
 * A rendered page's DOM (miniprogram-simulate under jsdom) written out as plain HTML a browser can
 * draw: class names without the component prefixes, the attributes WeChat's built-in tags are drawn by
 * (input values and placeholders, image sources, disabled buttons, map markers), and `data-tap` on
 * whatever answers a tap, so the layout check knows which boxes are tap targets. A 2D canvas becomes an
 * HTML canvas its component draws on in the browser (canvas.ts). Inline styles keep their rpx, turned
 * into px as the phone does (simulate writes 420rpx as 420px).
 */
import { CANVAS_ATTR, canvasMark, type CanvasElement } from './canvas';
import { rpx } from './compose';
import { pageMetaOf } from '../page-meta';

interface VtAttr {
  name: string;
  value: unknown;
}
interface WxDom {
  nodeType: number;
  tagName: string;
  textContent: string | null;
  childNodes: ArrayLike<WxDom>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  __wxElement?: CanvasElement & { _vt?: { attrs?: VtAttr[]; event?: Record<string, { name?: string }> } };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => esc(s).replace(/"/g, '&quot;');

/**
 * "main--wm-card" / "order-card--wm-order-card--overdue" → "wm-card" / "wm-order-card--overdue"; a
 * library component's own classes likewise ("t-popup--t-popup--bottom" → "t-popup--bottom").
 */
function unprefix(cls: string): string {
  return cls
    .split(/\s+/)
    .filter(Boolean)
    .map((c) => /^.*?--((?:wm|t)-.*)$/.exec(c)?.[1] ?? c)
    .join(' ');
}

function attrsOf(el: WxDom): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of el.__wxElement?._vt?.attrs ?? []) if (a.value !== undefined) out[a.name] = a.value;
  return out;
}

const TAP_EVENTS = new Set(['tap', 'longpress']);
function answersTap(el: WxDom, tag: string): boolean {
  if (tag === 'wx-button' || tag === 'wx-navigator' || tag === 'wx-switch' || tag === 'wx-checkbox') return true;
  const events = el.__wxElement?._vt?.event ?? {};
  return Object.entries(events).some(([key, e]) => TAP_EVENTS.has(e?.name ?? key));
}

const truthy = (v: unknown) => v !== undefined && v !== null && v !== false && v !== 'false';
const BOOL_ATTRS = ['disabled', 'loading', 'plain', 'auto-height', 'password', 'hidden', 'scroll-x', 'checked'];
const STR_ATTRS = ['type', 'size', 'mode', 'open-type', 'id'];

function inner(el: WxDom, tag: string, attrs: Record<string, unknown>): string {
  if (tag === 'wx-input' || tag === 'wx-textarea') {
    const typed = el.getAttribute('data-typed');
    const value = typed ?? (attrs.value === undefined || attrs.value === null ? '' : String(attrs.value));
    const kind = tag === 'wx-input' ? 'wx-input-inner' : 'wx-textarea-inner';
    if (value) return `<span class="${kind}">${esc(truthy(attrs.password) ? '•'.repeat(value.length) : value)}</span>`;
    const phClass = unprefix(String(attrs['placeholder-class'] ?? ''));
    return `<span class="${kind} wx-placeholder ${escAttr(phClass)}">${esc(String(attrs.placeholder ?? ''))}</span>`;
  }
  if (tag === 'wx-image') {
    return `<img src="${escAttr(String(attrs.src ?? ''))}" data-mode="${escAttr(String(attrs.mode ?? 'scaleToFill'))}">`;
  }
  if (tag === 'wx-map') {
    const markers = Array.isArray(attrs.markers) ? (attrs.markers as { latitude: number; longitude: number }[]) : [];
    const data = {
      lat: Number(attrs.latitude),
      lng: Number(attrs.longitude),
      scale: Number(attrs.scale ?? 16),
      markers: markers.map((m) => ({ lat: m.latitude, lng: m.longitude })),
    };
    return `<div class="wx-map-data" data-map="${escAttr(JSON.stringify(data))}"></div>`;
  }
  return Array.from(el.childNodes).map(serialize).join('');
}

export function serialize(node: WxDom): string {
  if (node.nodeType === 3) return esc(node.textContent ?? '');
  if (node.nodeType !== 1) return '';
  const tag = node.tagName.toLowerCase();
  const attrs = attrsOf(node);
  const parts: string[] = [];
  const cls = unprefix(node.getAttribute('class') ?? '');
  if (cls) parts.push(`class="${escAttr(cls)}"`);
  // The template's own style when it has rpx (simulate turns 420rpx into 420px, not the phone's 210px).
  const style =
    typeof attrs.style === 'string' && attrs.style.includes('rpx') ? rpx(attrs.style) : node.getAttribute('style');
  if (style) parts.push(`style="${escAttr(style)}"`);
  for (const b of BOOL_ATTRS) if (truthy(attrs[b])) parts.push(b);
  for (const s of STR_ATTRS) {
    const v = attrs[s] ?? (s === 'id' ? node.getAttribute('id') : undefined);
    if (typeof v === 'string' && v) parts.push(`${s}="${escAttr(v)}"`);
  }
  if (answersTap(node, tag)) parts.push('data-tap');
  const mark = tag === 'wx-canvas' && attrs.type === '2d' ? canvasMark(node.__wxElement) : null;
  if (mark) return `<canvas ${[...parts, `${CANVAS_ATTR}="${escAttr(JSON.stringify(mark))}"`].join(' ')}></canvas>`;
  // <page-meta page-style>: compose.ts puts it on the page's root node, as WeChat does.
  const pageStyle = tag === 'wx-page-meta' ? pageMetaOf(node).pageStyle : undefined;
  if (pageStyle) parts.push(`data-page-style="${escAttr(pageStyle)}"`);
  const open = `<${tag}${parts.length ? ` ${parts.join(' ')}` : ''}>`;
  return `${open}${inner(node, tag, attrs)}</${tag}>`;
}

/** Types into an input and remembers what was typed, so it is drawn even when the page keeps no copy. */
export function markTyped(dom: unknown, value: string): void {
  (dom as WxDom | undefined)?.setAttribute?.('data-typed', value);
}
