/** Where things are in the project, for scripts and tests. */
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Deployable cloud functions: folders of cloudfunctions/ with a config.json. */
export function functionNames(): string[] {
  const dir = path.join(ROOT, 'cloudfunctions');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'config.json')))
    .map((d) => d.name)
    .sort();
}
