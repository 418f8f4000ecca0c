/**
 * The big screen (大屏) in a real browser: headless Chromium (Debian's package, started here) opens the
 * page the local cloud serves at /bigscreen/, shows today's figures as the bigscreen function answers
 * them, and, after a wish is fulfilled through the order function, shows the new figure on its next
 * refresh (every second here: `?refresh=1`). Every wait follows the page's DOM, never a sleep.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PublicFigures } from '../../typings/stats';
import { countText, rateText, shortName } from '../../bigscreen/view';
import { demoOrders } from '../helpers/orders';
import { Browser, type Tab } from '../pages/screens/chromium';

jest.setTimeout(90000);

let browser: Browser;
let tab: Tab;

// Declared before the cloud's hooks, so the browser (polling every second) is closed before the cloud.
beforeAll(async () => {
  browser = Browser.launch();
  tab = await browser.tab(1920, 1080, 1, false);
});

afterAll(async () => {
  await tab?.open('about:blank');
  await browser?.close();
});

const { cloud, orders } = demoOrders();

async function figures(): Promise<{ status: number; cors: string | null; body: PublicFigures }> {
  const res = await fetch(`${cloud().url}/bigscreen/api`);
  return {
    status: res.status,
    cors: res.headers.get('access-control-allow-origin'),
    body: (await res.json()) as PublicFigures,
  };
}

/** Resolves in the page once the text of `#id` is not `from` (MutationObserver), with what it became. */
function textChange(id: string, from: string | null): string {
  return `new Promise((resolve, reject) => {
    const node = () => document.getElementById(${JSON.stringify(id)});
    const check = () => {
      const t = node() && node().textContent;
      if (t !== null && t !== ${JSON.stringify(from)}) { observer.disconnect(); resolve(t); }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    setTimeout(() => reject(new Error('#${id} still shows ' + (node() && node().textContent))), 30000);
    check();
  })`;
}

const text = (id: string) => tab.evaluate<string>(`document.getElementById(${JSON.stringify(id)}).textContent`);

test('the feed answers the public figures only, as JSON any origin may read', async () => {
  const { status, cors, body } = await figures();
  expect(status).toBe(200);
  expect(cors).toBe('*');
  expect(Object.keys(body).sort()).toEqual(['byCategory', 'county', 'stations', 'today', 'trend', 'updatedAt', 'year']);
  expect(body.stations.length).toBeGreaterThan(0);
  for (const s of body.stations) expect(Object.keys(s).sort()).toEqual(['fulfilmentRate', 'id', 'lat', 'lng', 'name']);
});

test('the page shows today’s figures from the local cloud and the fulfilment of a wish on its next refresh', async () => {
  await tab.open(`${cloud().url}/bigscreen/?refresh=1`);
  await tab.evaluate(textChange('updated', '正在读取数据……'));
  const before = (await figures()).body;

  expect(await text('today-fulfilled')).toBe(countText(before.today.fulfilled));
  expect(await text('today-posted')).toBe(countText(before.today.posted));
  expect(await text('year-posted')).toBe(countText(before.year.posted));
  expect(await text('year-rate')).toBe(rateText(before.year.fulfilmentRate));
  expect(await text('county')).toBe(`${shortName(before.county)}新时代文明实践`);
  expect(await tab.evaluate<number>(`document.querySelectorAll('#map circle').length`)).toBe(before.stations.length);
  expect(await tab.evaluate<number>(`document.querySelectorAll('#categories .cat').length`)).toBeGreaterThan(0);
  // It fits the wall: no element reaches past 1920×1080, none overflows its panel.
  expect(
    await tab.evaluate<string[]>(`[...document.querySelectorAll('body *')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.right > 1920.5 || r.bottom > 1080.5; })
      .map((e) => e.id || e.className.baseVal || e.className)`),
  ).toEqual([]);
  expect(
    await tab.evaluate<string[]>(`[...document.querySelectorAll('.panel')]
      .filter((p) => p.scrollHeight > p.clientHeight + 1).map((p) => p.querySelector('h2').textContent)`),
  ).toEqual([]);

  const o = orders();
  const id = await o.open();
  await o.ok(o.call('demo-station-head', { action: 'dispatch', id, volunteer: 'demo-volunteer' }));
  await o.ok(o.call('demo-volunteer', { action: 'accept', id }));
  await o.ok(o.call('demo-volunteer', { action: 'fulfil', id, note: '已经上门量过血压。' }));

  const shown = await tab.evaluate<string>(textChange('today-fulfilled', countText(before.today.fulfilled)));
  expect(shown).toBe(countText(before.today.fulfilled + 1));
  expect(await text('year-fulfilled')).toBe(countText(before.year.fulfilled + 1));

  const out = process.env.SCREENS_OUT ?? path.resolve(__dirname, '..', '..', '.build', 'screens');
  fs.mkdirSync(out, { recursive: true });
  await tab.screenshot(path.join(out, 'bigscreen.png'));
});
