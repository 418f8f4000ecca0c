/**
 * Each bundled cloud function stays small: shared code inside, wx-server-sdk installed in the cloud.
 * A bundle past the budget usually means a library came in whole (zod's locales did, once).
 */
import fs from 'node:fs';
import path from 'node:path';
import { functionNames, ROOT } from '../../scripts/lib/project';

const BUDGET_KB = 200;

describe('cloud function bundles', () => {
  const names = functionNames();

  it('exist for every function', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(fs.existsSync(path.join(ROOT, 'cloudfunctions', n, 'index.js'))).toBe(true);
  });

  it.each(names)(`%s is under ${BUDGET_KB} KB and leaves wx-server-sdk external`, (name) => {
    const file = path.join(ROOT, 'cloudfunctions', name, 'index.js');
    const kb = fs.statSync(file).size / 1024;
    console.log(`${name}: ${kb.toFixed(1)} KB`);
    expect(kb).toBeLessThan(BUDGET_KB);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/require\("wx-server-sdk"\)/);
  });
});
