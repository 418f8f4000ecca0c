/**
 * One headless Chromium (Debian's `chromium` package) driven over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4), so a whole set of screens is
 * drawn by one browser rather than one process per picture, and without a Node dependency for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to use: $CHROMIUM, else the first of Debian's usual paths that exists. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) return fromEnv;
  return CANDIDATES.find((p) => fs.existsSync(p));
}

interface Reply {
  id?: number;
  method?: string;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class Browser {
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  private readonly listeners: ((m: Reply) => void)[] = [];
  private buffer = '';

  private constructor(private readonly proc: ChildProcess) {
    const out = proc.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
        const message = JSON.parse(this.buffer.slice(0, end)) as Reply;
        this.buffer = this.buffer.slice(end + 1);
        this.receive(message);
      }
    });
  }

  static launch(executable = chromiumPath()): Browser {
    if (!executable) {
      throw new Error('no Chromium: install it with `apt-get install -y chromium fonts-noto-cjk` (or set CHROMIUM)');
    }
    const proc = spawn(
      executable,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--hide-scrollbars',
        '--no-first-run',
        '--mute-audio',
        '--allow-file-access-from-files',
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new Browser(proc);
  }

  private receive(message: Reply): void {
    if (message.id !== undefined) {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result ?? {});
      return;
    }
    for (const l of [...this.listeners]) l(message);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    this.nextId += 1;
    const id = this.nextId;
    const input = this.proc.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** The next event `method` of `sessionId`. */
  once(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve) => {
      const l = (m: Reply) => {
        if (m.method !== method || m.sessionId !== sessionId) return;
        this.listeners.splice(this.listeners.indexOf(l), 1);
        resolve();
      };
      this.listeners.push(l);
    });
  }

  /** A tab emulating a phone of `width` CSS px at `scale` device pixels per px (`mobile` false: a desktop screen). */
  async tab(width: number, height: number, scale: number, mobile = true): Promise<Tab> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    await this.send('Page.enable', {}, sessionId);
    const tab = new Tab(this, sessionId, width, scale, mobile);
    await tab.resize(height);
    return tab;
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => this.proc.once('exit', r));
    await this.send('Browser.close').catch(() => undefined);
    this.proc.kill();
    await exited;
  }
}

export class Tab {
  constructor(
    private readonly browser: Browser,
    private readonly session: string,
    private readonly width: number,
    private readonly scale: number,
    private readonly mobile = true,
  ) {}

  resize(height: number): Promise<unknown> {
    return this.browser.send(
      'Emulation.setDeviceMetricsOverride',
      { width: this.width, height, deviceScaleFactor: this.scale, mobile: this.mobile },
      this.session,
    );
  }

  async open(url: string): Promise<void> {
    const loaded = this.browser.once('Page.loadEventFired', this.session);
    await this.browser.send('Page.navigate', { url }, this.session);
    await loaded;
  }

  /** Evaluates `expression` in the page (awaiting a promise) and answers its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.browser.send(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true },
      this.session,
    )) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** A PNG of the viewport. */
  async screenshot(file: string): Promise<void> {
    const { data } = (await this.browser.send('Page.captureScreenshot', { format: 'png' }, this.session)) as {
      data: string;
    };
    fs.writeFileSync(file, Buffer.from(data, 'base64'));
  }
}
