/** Stops the page tests' local cloud and removes its data folder. */
import fs from 'node:fs';
import { CLOUD_KEY, type PagesCloud } from './global-cloud';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>)[CLOUD_KEY] as PagesCloud | undefined;
  if (!state) return;
  await state.cloud.close();
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
