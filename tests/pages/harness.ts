/**
 * Runs the real mini-program in jsdom: the real App() from miniprogram/app.ts, pages loaded with
 * miniprogram-simulate (WeChat's own wcc compiles their templates), and helpers that read like a
 * villager's actions: open a page, wait until something shows, tap a button.
 */
import http from 'node:http';
import path from 'node:path';
import type { Profile } from '../../typings/api';
import type { Result } from '../../typings/errors';

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
  readonly instance: Record<string, unknown> & { onLoad?: (query: Record<string, string>) => void };
  attach(parent: unknown): void;
  detach(): void;
}

interface Simulate {
  load(componentPath: string, options?: { rootPath?: string; compiler?: 'official' | 'simulate' }): string;
  render(id: string, properties?: Record<string, unknown>): SimPage | undefined;
  sleep(ms: number): Promise<void>;
}

export const simulate = jest.requireActual<Simulate>('miniprogram-simulate');

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

// ---- pages --------------------------------------------------------------------------------------

/** jsdom's document, typed as little as these helpers need (the Node-side program has no DOM lib). */
const dom = globalThis as unknown as { document: { createElement(tag: string): unknown } };

const loaded = new Map<string, string>();
const stack: SimPage[] = [];

/** Opens a page as WeChat would: renders it, attaches it and calls onLoad with the query. */
export function openPage(route: string, query: Record<string, string> = {}): SimPage {
  let id = loaded.get(route);
  if (!id) {
    // simulate.load runs the page's module, which jest then caches: load each page once per file.
    id = simulate.load(path.join(MINIPROGRAM_ROOT, route), { rootPath: MINIPROGRAM_ROOT });
    loaded.set(route, id);
  }
  const page = simulate.render(id);
  if (!page) throw new Error(`miniprogram-simulate could not render ${route}`);
  page.attach(dom.document.createElement('parent-wrapper'));
  stack.push(page);
  page.instance.onLoad?.(query);
  return page;
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
  const node = page.querySelector(selector);
  if (!node) throw new Error(`nothing to tap: no ${selector} on the page\n${describe(page)}`);
  node.dispatchEvent('tap');
}

function describe(page: SimNode): string {
  return page.dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '(no DOM)';
}

/** Waits until `probe` answers something truthy; fails saying what it waited for and what the page showed. */
export async function waitFor<T>(
  what: string,
  page: SimNode,
  probe: () => T | undefined | null | false,
  timeoutMs = 8000,
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
export function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
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
