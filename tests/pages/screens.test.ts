/**
 * Every screen renders on a phone: each screen of the catalog is driven through the real page, drawn by
 * headless Chromium at 375×812 with the app's WXSS, and held to the phone's width (nothing reaches past
 * the screen's edge), to 44 px tap targets and to canvases drawn on (the command center's charts). The
 * suite draws a few screens per role; `npm run screens` (SCREENS=all) draws the whole set into
 * .build/screens (or $SCREENS_OUT) to be looked at.
 */
import path from 'node:path';
import { closeAllPages } from './harness';
import { PEOPLE_SCREENS, type Shoot } from './screens/catalog';
import { ORDER_SCREENS } from './screens/catalog-orders';
import { captureOf } from './screens/catalog';
import type { Capture } from './screens/compose';
import { Painter, type Drawn } from './screens/draw';

const ALL = process.env.SCREENS === 'all';
const OUT = process.env.SCREENS_OUT ?? path.resolve(__dirname, '..', '..', '.build', 'screens');
const screens = [...PEOPLE_SCREENS, ...ORDER_SCREENS].filter((s) => ALL || s.smoke);
const painter = new Painter(OUT);

jest.setTimeout(120000);

afterAll(() => painter.close());

describe.each(screens.map((s) => [s.name, s] as const))('the screen %s', (_name, screen) => {
  test('renders within the phone’s width with tap targets at least 44 px tall and its charts drawn', async () => {
    const captures: Capture[] = [];
    const shoot: Shoot = (name, route, page, opts) => captures.push(captureOf(name, route, page, opts));
    try {
      await screen.run(shoot);
    } finally {
      closeAllPages();
    }
    expect(captures.length).toBeGreaterThan(0);
    const drawn: Drawn[] = [];
    for (const cap of captures) drawn.push(await painter.draw(cap));
    const problems = drawn.map((d) => ({ name: d.name, overflow: d.overflow, small: d.small, blank: d.blank }));
    expect(problems).toEqual(drawn.map((d) => ({ name: d.name, overflow: [], small: [], blank: [] })));
  });
});
