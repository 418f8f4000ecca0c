/**
 * Starts one real local cloud for the page tests (a fresh data folder, a free port), loads the demo
 * county into it (localcloud/seed: the network, the five fixed identities and the people around them),
 * and hands its URL and the demo identities to the test workers through LOCALCLOUD_URL and
 * LOCALCLOUD_DEMO_IDENTITIES. The workers start after this has run, so they inherit both.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud } from '../../localcloud/server';
import { seedDemo } from '../../localcloud/seed';
import { CLOUD_KEY, type PagesCloud } from './global-cloud';

const ROOT = path.resolve(__dirname, '..', '..');

/** What `npx tsx scripts/build.ts` makes and these tests need. */
const BUILT = [
  '.build/localcloud/worker.js',
  'cloudfunctions/user/index.js',
  'cloudfunctions/org/index.js',
  'miniprogram/contract/api.ts',
];

/** A weekday afternoon in Asia/Shanghai (14:00), when a county's staff are at work. */
export const PAGES_NOW = '2026-11-30T06:00:00.000Z';

export default async function globalSetup(): Promise<void> {
  const missing = BUILT.filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length > 0) {
    throw new Error(`page tests need a build first (npx tsx scripts/build.ts); missing: ${missing.join(', ')}`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-pages-'));
  const cloud = await startLocalCloud({ root: ROOT, dataDir, port: 0, env: 'local-pages-test' });
  // One fixed moment for every run: the demo county is replayed up to "now", so a wall-clock seed would
  // give the page tests a different county at each hour of the day.
  cloud.clock.set(process.env.WM_PAGES_NOW ?? PAGES_NOW);
  const demo = seedDemo(cloud.engine, new Date(cloud.clock.now()));
  process.env.LOCALCLOUD_URL = cloud.url;
  process.env.LOCALCLOUD_DEMO_IDENTITIES = JSON.stringify(demo.identities);
  const state: PagesCloud = { cloud, dataDir };
  Object.assign(globalThis, { [CLOUD_KEY]: state });
}
