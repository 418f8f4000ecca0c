/**
 * Draws captured screens to PNG with one headless Chromium: <name>.png (the first screen, 375×812 at
 * DPR 2) and, when the page is longer, <name>-full.png (the whole page); answers what the layout probe
 * found on each, so the suite can hold every screen to the phone's width and 44 px tap targets, and
 * every canvas to having been drawn on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Browser, type Tab } from './chromium';
import { composeHtml, LAYOUT_PROBE, PHONE, type Capture } from './compose';

export interface Drawn {
  name: string;
  files: string[];
  /** Boxes reaching past the screen's edges. */
  overflow: string[];
  /** Tap targets under 44 px tall. */
  small: string[];
  /** Canvases left blank (or never drawn). */
  blank: string[];
}

interface Probe {
  overflow: string[];
  small: string[];
  blank: string[];
  height: number;
}

export class Painter {
  private browser?: Browser;
  private tab?: Tab;

  constructor(private readonly outDir: string) {
    fs.mkdirSync(path.join(outDir, 'html'), { recursive: true });
  }

  private async ready(): Promise<Tab> {
    if (!this.tab) {
      this.browser = Browser.launch();
      this.tab = await this.browser.tab(PHONE.width, PHONE.height, PHONE.scale);
    }
    return this.tab;
  }

  async draw(cap: Capture): Promise<Drawn> {
    const tab = await this.ready();
    const html = (mode: 'fold' | 'full') => {
      const file = path.join(this.outDir, 'html', `${cap.name}${mode === 'full' ? '-full' : ''}.html`);
      fs.writeFileSync(file, composeHtml(cap, mode));
      return `file://${file}`;
    };
    await tab.resize(PHONE.height);
    await tab.open(html('fold'));
    const first = path.join(this.outDir, `${cap.name}.png`);
    await tab.screenshot(first);
    await tab.open(html('full'));
    const probe = await tab.evaluate<Probe>(LAYOUT_PROBE);
    const files = [first];
    if (probe.height > PHONE.height) {
      await tab.resize(probe.height);
      const full = path.join(this.outDir, `${cap.name}-full.png`);
      await tab.screenshot(full);
      files.push(full);
    }
    return { name: cap.name, files, overflow: probe.overflow, small: probe.small, blank: probe.blank };
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }
}
