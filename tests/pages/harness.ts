/**
 * Runs the real mini-program in jsdom: the real App() from miniprogram/app.ts, pages loaded with
 * miniprogram-simulate (WeChat's own wcc compiles their templates), and helpers that read like a
 * villager's actions: open a page, wait until something shows, tap a button.
 */
import http from 'node:http';
import path from 'node:path';
import type { Profile } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { resetWx } from './wx-fake';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '..', '..', 'miniprogram');

/*
 * The tests reach the mini-program's modules through jest.requireActual, typed by the interfaces below,
 * rather than through imports: an import would pull miniprogram/**.ts into the Node-side TypeScript
 * program, which does not (and must not) know WeChat's globals such as `wx`. tsconfig.json checks the
 * mini-program itself against miniprogram-api-typings; a renamed export fails these tests at run time.
 */
export interface MiniprogramModules {
  config: {
    setLocalCloudUrl(url: string): void;
    getLocalCloudUrl(): string;
    useLocalCloud(): boolean;
  };
  identity: {
    DEFAULT_LOCAL_OPENID: string;
    DEMO_IDENTITIES: readonly { openid: string; who: string }[];
    getLocalIdentity(): string;
    setLocalIdentity(openid: string): void;
  };
  transport: {
    call(fn: string, action: string, request: unknown): Promise<Result<unknown>>;
  };
  user: {
    login(): Promise<Result<Profile>>;
  };
}

export const miniprogram: MiniprogramModules = {
  config: jest.requireActual('../../miniprogram/config'),
  identity: jest.requireActual('../../miniprogram/services/identity'),
  transport: jest.requireActual('../../miniprogram/services/transport'),
  user: jest.requireActual('../../miniprogram/services/user'),
};

/** The part of miniprogram-simulate's API these tests use, typed here (its own typings pull in an old
 *  miniprogram-api-typings that clashes with the one the mini-program is checked against). */
export interface SimNode {
  readonly dom: { readonly textContent: string | null } | undefined;
  querySelector(selector: string): SimNode | undefined;
  querySelectorAll(selector: string): SimNode[];
  dispatchEvent(eventName: string, options?: unknown): void;
}

export interface SimPage<TData = Record<string, unknown>> extends SimNode {
  readonly data: Readonly<TData>;
  readonly instance: Record<string, unknown> & {
    onLoad?: (query: Record<string, string>) => void;
    onShow?: () => void;
    onHide?: () => void;
  };
  attach(parent: unknown): void;
  detach(): void;
  triggerPageLifeTime(name: string): void;
}

interface Simulate {
  load(componentPath: string, options?: { rootPath?: string; compiler?: 'official' | 'simulate' }): string;
  render(id: string, properties?: Record<string, unknown>): SimPage | undefined;
  sleep(ms: number): Promise<void>;
}

export const simulate = jest.requireActual<Simulate>('miniprogram-simulate');

/*
 * miniprogram-simulate registers a page or component by require()-ing its module, which must call
 * Component(). Inside jest the module is cached after the first require, so a component used by two
 * pages (or a page loaded again) would never register its second copy. This wrapper remembers the
 * options each module gave Component() and gives them again when the cached module stays silent.
 */
interface SimulateUtils {
  runJs(file: string): void;
  readJson(file: string): Record<string, unknown> | null;
}
const simulateUtils = jest.requireActual<SimulateUtils>('miniprogram-simulate/src/utils');

/*
 * A library component is named by its package path (`tdesign-miniprogram/popup/popup`), which WeChat
 * looks up in miniprogram_npm (packed by scripts/build.ts); miniprogram-simulate knows only relative and
 * root-absolute paths, so such a name is given to it as `/miniprogram_npm/…`.
 */
const readJson = simulateUtils.readJson;
simulateUtils.readJson = (file: string) => {
  const json = readJson(file);
  const using = json?.usingComponents as Record<string, string> | undefined;
  if (!json || !using) return json;
  const resolved: Record<string, string> = {};
  for (const [tag, spec] of Object.entries(using)) {
    resolved[tag] = /^[./]|^plugin:/.test(spec) ? spec : `/miniprogram_npm/${spec}`;
  }
  return { ...json, usingComponents: resolved };
};
const componentOptions = new Map<string, unknown>();
const requireFile = simulateUtils.runJs;
simulateUtils.runJs = (file: string) => {
  const g = globalThis as unknown as { Component: (options: unknown) => unknown };
  const register = g.Component;
  let registered = false;
  g.Component = (options: unknown) => {
    registered = true;
    componentOptions.set(file, options);
    return register(options);
  };
  try {
    requireFile(file);
  } finally {
    g.Component = register;
  }
  if (!registered && componentOptions.has(file)) register(componentOptions.get(file));
};

// ---- the app ------------------------------------------------------------------------------------

type AppDefinition = IAppOption & { onLaunch?: (options: Record<string, unknown>) => void };

let definition: AppDefinition | undefined;
let current: AppDefinition | undefined;

/** Stands in for the platform's App(): remembers the definition so each test can launch it afresh. */
export function registerApp(options: AppDefinition): void {
  definition = options;
}

/** A freshly launched app (onLaunch has run, so login is under way), as getApp() will answer. */
export function launchApp(): IAppOption {
  if (!definition) throw new Error('miniprogram/app.ts has not called App()');
  const app: AppDefinition = { ...definition, globalData: {} };
  current = app;
  app.onLaunch?.call(app, { path: 'pages/home/index', query: {}, scene: 1001 });
  return app;
}

export function getCurrentApp(): IAppOption {
  return current ?? launchApp();
}

/** The local cloud the global setup started, with the demo county loaded. */
export const CLOUD_URL = process.env.LOCALCLOUD_URL ?? '';

/** The demo identities as localcloud/seed reported them. */
export const DEMO_IDENTITIES: { openid: string; who: string }[] = JSON.parse(
  process.env.LOCALCLOUD_DEMO_IDENTITIES ?? '[]',
) as { openid: string; who: string }[];

/**
 * A fresh phone (wx fakes reset), the mini-program pointed at the test's local cloud, acting as
 * `openid`, and the app launched (login under way).
 */
export function launchAs(openid: string): IAppOption {
  if (!CLOUD_URL) throw new Error('LOCALCLOUD_URL is not set: the pages project must run tests/pages/global-setup.ts');
  resetWx();
  miniprogram.config.setLocalCloudUrl(CLOUD_URL);
  miniprogram.identity.setLocalIdentity(openid);
  return launchApp();
}

// ---- pages --------------------------------------------------------------------------------------

/** jsdom's document, typed as little as these helpers need (the Node-side program has no DOM lib). */
const dom = globalThis as unknown as { document: { createElement(tag: string): unknown } };

const loaded = new Map<string, string>();
const stack: SimPage[] = [];

/** Opens a page as WeChat would: renders it, attaches it, calls onLoad with the query, then shows it. */
export function openPage(route: string, query: Record<string, string> = {}): SimPage {
  const normalized = route.replace(/^\//, '');
  let id = loaded.get(normalized);
  if (!id) {
    id = simulate.load(path.join(MINIPROGRAM_ROOT, normalized), { rootPath: MINIPROGRAM_ROOT });
    loaded.set(normalized, id);
  }
  const page = simulate.render(id);
  if (!page) throw new Error(`miniprogram-simulate could not render ${normalized}`);
  const below = stack[stack.length - 1];
  if (below) hidePage(below);
  page.attach(dom.document.createElement('parent-wrapper'));
  stack.push(page);
  page.instance.onLoad?.(query);
  showPage(page);
  return page;
}

/** The page comes to the front again (back from another page, or its tab tapped). */
export function showPage(page: SimPage): void {
  page.instance.onShow?.();
  page.triggerPageLifeTime('show');
}

export function hidePage(page: SimPage): void {
  page.instance.onHide?.();
  page.triggerPageLifeTime('hide');
}

/** Closes the page in front and shows the one below, as wx.navigateBack does. */
export function closePage(): SimPage | undefined {
  stack.pop()?.detach();
  const below = stack[stack.length - 1];
  if (below) showPage(below);
  return below;
}

export function currentPages(): SimPage['instance'][] {
  return stack.map((p) => p.instance);
}

export function closeAllPages(): void {
  while (stack.length > 0) stack.pop()?.detach();
}

// ---- reading and acting -------------------------------------------------------------------------

/** The visible text of the first node matching `selector`, or undefined when nothing matches. */
export function textOf(page: SimNode, selector: string): string | undefined {
  const node = page.querySelector(selector);
  return node?.dom?.textContent?.replace(/\s+/g, ' ').trim();
}

export function exists(page: SimNode, selector: string): boolean {
  return page.querySelector(selector) !== undefined;
}

export function tap(page: SimNode, selector: string): void {
  fire(page, selector, 'tap');
}

/** Fires `event` (tap, input, getphonenumber, …) on the first node matching `selector`. */
export function fire(page: SimNode, selector: string, event: string, detail: Record<string, unknown> = {}): void {
  const node = page.querySelector(selector);
  if (!node) throw new Error(`no ${selector} to ${event} on the page\n${describe(page)}`);
  node.dispatchEvent(event, { detail });
}

/** Types `value` into an <input> (WeChat's bindinput receives it as detail.value). */
export function typeInto(page: SimNode, selector: string, value: string): void {
  fire(page, selector, 'input', { value, cursor: value.length, keyCode: 0 });
}

/** The node of a custom component on the page (its own nodes are reached through it). */
export function component(page: SimNode, selector: string): SimNode {
  const node = page.querySelector(selector);
  if (!node) throw new Error(`no component ${selector} on the page\n${describe(page)}`);
  return node;
}

function describe(page: SimNode): string {
  return page.dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '(no DOM)';
}

/** Waits until `probe` answers something truthy; fails saying what it waited for and what the page showed. */
export async function waitFor<T>(
  what: string,
  page: SimNode,
  probe: () => T | undefined | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}; the page shows: ${describe(page)}`);
    await simulate.sleep(20);
  }
}

let sequence = 0;

/** An openid no other test uses, so every test starts as a brand-new villager. */
export function uniqueOpenid(prefix = 'pg'): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

/** POSTs JSON with Node's http module (jsdom has no fetch) and answers the parsed reply. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown });
        } catch {
          resolve({ status: res.statusCode ?? 0, json: text });
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Calls a function through the local cloud's gateway as `openid`, outside the mini-program: for a
 * test's preparation (someone else's binding) and for checking what a page changed.
 */
export async function callAs<T>(openid: string, fn: string, event: Record<string, unknown>): Promise<T> {
  const url = process.env.LOCALCLOUD_URL ?? '';
  const { status, json } = await postJson(`${url}/fn/${fn}`, event, { 'x-wx-openid': openid });
  const result = json as Result<T>;
  if (status !== 200 || !result || !result.ok) {
    throw new Error(`${fn}.${String(event.action)} as ${openid} failed: HTTP ${status} ${JSON.stringify(json)}`);
  }
  return result.data;
}

/** A person's name no other test uses: Chinese characters only, as names must be. */
export function uniqueName(prefix: string): string {
  sequence += 1;
  const digits = '零一二三四五六七八九';
  const code = `${process.pid % 1000}${Date.now() % 100000}${sequence}`;
  return `${prefix}${[...code].map((d) => digits[Number(d)]).join('')}`.slice(0, 20);
}
