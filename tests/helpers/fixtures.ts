/** Builds the fixture functions under tests/fixtures/functions into .build/fixtures/functions. */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../../scripts/lib/project';

export async function buildFixtureFunctions(): Promise<string> {
  const from = path.join(ROOT, 'tests', 'fixtures', 'functions');
  const to = path.join(ROOT, '.build', 'fixtures', 'functions');
  for (const name of fs.readdirSync(from)) {
    const out = path.join(to, name);
    fs.mkdirSync(out, { recursive: true });
    for (const f of ['config.json', 'package.json']) fs.copyFileSync(path.join(from, name, f), path.join(out, f));
    await build({
      entryPoints: [path.join(from, name, 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['wx-server-sdk'],
      outfile: path.join(out, 'index.js'),
      logLevel: 'warning',
    });
  }
  return to;
}
