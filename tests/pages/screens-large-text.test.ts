/**
 * The screens at 1.3× text, as a villager who chose a larger font size in WeChat sees them: the phone
 * reports fontSizeScaleFactor 1.3 (wx.getAppBaseInfo), each page puts it on its root through
 * <page-meta page-style> (miniprogram/base/text-scale.ts), and Chromium draws the page with the app's
 * own WXSS. Held to the same checks as screens.test.ts: nothing past the screen's edge, tap targets at
 * least 44 px tall. The suite draws the smoke set; `npm run screens` (SCREENS=all) every screen, into
 * .build/screens/large-text.
 */
import path from 'node:path';
import { closeAllPages } from './harness';
import { captureOf, PEOPLE_SCREENS, type Shoot } from './screens/catalog';
import { ORDER_SCREENS } from './screens/catalog-orders';
import type { Capture } from './screens/compose';
import { Painter, type Drawn } from './screens/draw';
import { wechatSettings } from './wx-fake';

const SCALE = 1.3;
const ALL = process.env.SCREENS === 'all';
const OUT = path.join(
  process.env.SCREENS_OUT ?? path.resolve(__dirname, '..', '..', '.build', 'screens'),
  'large-text',
);
const screens = [...PEOPLE_SCREENS, ...ORDER_SCREENS].filter((s) => ALL || s.smoke);
const painter = new Painter(OUT);

jest.setTimeout(120000);

beforeAll(() => {
  wechatSettings.fontSizeScaleFactor = SCALE;
});

afterAll(async () => {
  wechatSettings.fontSizeScaleFactor = 1;
  await painter.close();
});

describe.each(screens.map((s) => [s.name, s] as const))('the screen %s at 1.3× text', (_name, screen) => {
  test('fits the phone’s width with tap targets at least 44 px tall', async () => {
    const captures: Capture[] = [];
    // Shots the catalog already takes at a larger size are the same screen again: left out here.
    const shoot: Shoot = (name, route, page, opts) => {
      if (!opts?.fontScale) captures.push(captureOf(`${name}@${SCALE}x`, route, page, opts));
    };
    try {
      await screen.run(shoot);
    } finally {
      closeAllPages();
    }
    expect(captures.length).toBeGreaterThan(0);
    // The page itself asked for the larger text: the scale reached its root node.
    for (const cap of captures) expect(cap.html).toContain(`data-page-style="--wm-text-scale: ${SCALE};"`);
    const drawn: Drawn[] = [];
    for (const cap of captures) drawn.push(await painter.draw(cap));
    const problems = drawn.map((d) => ({ name: d.name, overflow: d.overflow, small: d.small }));
    expect(problems).toEqual(drawn.map((d) => ({ name: d.name, overflow: [], small: [] })));
  });
});
