/**
 * Builds what the local cloud, DevTools and a deployment need:
 *   cloudfunctions/<fn>/index.js      each function bundled with the shared code; the packages named in the
 *                                     function's package.json (wx-server-sdk, exceljs for stats, pdfkit for
 *                                     activity) stay external: the cloud installs them from that package.json
 *   cloudfunctions/<fn>/noto-sans-sc.woff  the Chinese font, beside a function that makes PDFs (one whose
 *                                     package.json lists pdfkit)
 *   miniprogram/contract/*.ts         the contract in typings/, copied where DevTools can compile it
 *   miniprogram/miniprogram_npm/      the library components the pages use (miniprogram/package.json), with
 *                                     what they reference, as 构建 npm lays them out (scripts/lib/miniprogram-npm.ts)
 *   .build/localcloud/worker.js       the local cloud's function instance
 *   .build/bigscreen/                 the big screen (bigscreen/: the page, its style, main.js bundled)
 *   miniprogram/app.json "plugins"    the speech-to-text plugin declared or not, as VOICE_INPUT says
 *                                     (scripts/lib/speech-plugin.ts); left as it is when that matches
 * Usage: tsx scripts/build.ts [--quiet]
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { functionNames, ROOT } from './lib/project';
import { FONT_FILE, FONT_PACKAGE_PATH } from '../cloudfunctions/shared/pdf/doc';
import { MINIPROGRAM_ROOT } from './lib/miniprogram';
import { packNpm } from './lib/miniprogram-npm';
import { speechPluginVersion, syncSpeechPlugin, SPEECH_PLUGIN } from './lib/speech-plugin';

const quiet = process.argv.includes('--quiet');
const log = (s: string) => {
  if (!quiet) console.log(s);
};

export function syncContract(): void {
  const from = path.join(ROOT, 'typings');
  const to = path.join(ROOT, 'miniprogram', 'contract');
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    if (!f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
    const body = fs.readFileSync(path.join(from, f), 'utf8');
    fs.writeFileSync(
      path.join(to, f),
      `// Generated from typings/${f} by scripts/build.ts: edit the original.\n${body}`,
    );
  }
}

/** The packages a function's package.json names: installed in the cloud, so left out of the bundle. */
export function externalsOf(name: string): string[] {
  const file = path.join(ROOT, 'cloudfunctions', name, 'package.json');
  const deps = fs.existsSync(file)
    ? Object.keys((JSON.parse(fs.readFileSync(file, 'utf8')) as { dependencies?: object }).dependencies ?? {})
    : [];
  return [...new Set(['wx-server-sdk', ...deps])];
}

/** Whether a function makes PDFs: its package.json lists pdfkit for the cloud to install. */
export function makesPdfs(dir: string): boolean {
  const pkgFile = path.join(dir, 'package.json');
  if (!fs.existsSync(pkgFile)) return false;
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { dependencies?: Record<string, string> };
  return typeof pkg.dependencies?.pdfkit === 'string';
}

export async function buildFunctions(names = functionNames()): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  await Promise.all(
    names.map(async (name) => {
      const dir = path.join(ROOT, 'cloudfunctions', name);
      const outfile = path.join(dir, 'index.js');
      const pdf = makesPdfs(dir);
      if (pdf) fs.copyFileSync(require.resolve(FONT_PACKAGE_PATH), path.join(dir, FONT_FILE));
      await build({
        entryPoints: [path.join(dir, 'index.ts')],
        bundle: true,
        platform: 'node',
        target: 'node16',
        format: 'cjs',
        external: externalsOf(name),
        outfile,
        legalComments: 'none',
        minifySyntax: true,
        logLevel: 'warning',
        banner: { js: `// Built by scripts/build.ts from cloudfunctions/${name}/index.ts — do not edit.` },
      });
      sizes[name] = fs.statSync(outfile).size;
    }),
  );
  return sizes;
}

export async function buildLocalCloudWorker(): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, 'localcloud', 'functions', 'worker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: path.join(ROOT, '.build', 'localcloud', 'worker.js'),
    logLevel: 'warning',
  });
}

/** The big screen: a static folder for the local cloud's GET /bigscreen/ and for static hosting. */
export const BIGSCREEN_OUT = path.join(ROOT, '.build', 'bigscreen');

export async function buildBigscreen(out = BIGSCREEN_OUT): Promise<void> {
  const from = path.join(ROOT, 'bigscreen');
  fs.mkdirSync(out, { recursive: true });
  for (const f of ['index.html', 'style.css', 'config.js']) fs.copyFileSync(path.join(from, f), path.join(out, f));
  await build({
    entryPoints: [path.join(from, 'main.ts')],
    bundle: true,
    platform: 'browser',
    target: 'chrome80',
    format: 'iife',
    minify: true,
    outfile: path.join(out, 'main.js'),
    logLevel: 'warning',
  });
}

async function main(): Promise<void> {
  const t0 = Date.now();
  syncContract();
  const npm = packNpm({ root: MINIPROGRAM_ROOT });
  log(`miniprogram_npm: ${npm.files.length} files, ${(npm.bytes / 1024).toFixed(1)} KB`);
  const speech = speechPluginVersion(process.env.VOICE_INPUT);
  if (await syncSpeechPlugin(path.join(ROOT, 'miniprogram'), speech)) {
    console.log(
      speech ? `app.json: ${SPEECH_PLUGIN} ${speech} declared (voice input on)` : `app.json: ${SPEECH_PLUGIN} removed`,
    );
  }
  const [sizes] = await Promise.all([buildFunctions(), buildLocalCloudWorker(), buildBigscreen()]);
  const list = Object.entries(sizes)
    .map(([n, s]) => `${n} ${(s / 1024).toFixed(1)} KB`)
    .join(', ');
  log(`built in ${Date.now() - t0} ms: ${list}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
