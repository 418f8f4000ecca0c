/**
 * Runs the after-suite check (after-suite.ts: the recompute check over the cloud every page test file
 * has driven), then stops the page tests' local cloud and removes its data folder.
 */
import fs from 'node:fs';
import { afterSuiteVerdict, leaveVerdict } from './after-suite';
import { CLOUD_KEY, type PagesCloud } from './global-cloud';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>)[CLOUD_KEY] as PagesCloud | undefined;
  if (!state) return;
  try {
    leaveVerdict(await afterSuiteVerdict(state.cloud.engine));
  } finally {
    await state.cloud.close();
    fs.rmSync(state.dataDir, { recursive: true, force: true });
  }
}
