/**
 * Reads and validates what the project declares: database/collections/*.json and the deployable
 * functions under cloudfunctions/ (folders with a config.json). Every problem in every file is
 * collected first, so one run lists them all, and nothing is applied while any remains.
 *
 * The validators (`validateCollection` in validate-collection.ts, `validateFunctionConfig` in
 * validate-function.ts, `checkBuild` here) are pure or read only the files they are given, so the tests
 * call them directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isObject, readJson } from './json';
import type { CollectionSpec, DesiredState, FunctionFile, FunctionSpec } from './types';
import { MAX_COLLECTIONS, validateCollection } from './validate-collection';
import { validateFunctionConfig } from './validate-function';
import { FONT_FILE } from '../../../cloudfunctions/shared/pdf/doc';

export { BUILTIN_ID_INDEX, validateCollection } from './validate-collection';
export { validateFunctionConfig } from './validate-function';

export class DefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `定义文件有误，未做任何更改 / Invalid definitions, nothing was applied:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'DefinitionError';
  }
}

export class BuildError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `云函数未构建或构建已过期 / Cloud functions are not built or the build is stale:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\n请先运行 / Run first:  npm run build   (or: npx tsx scripts/build.ts)`,
    );
    this.name = 'BuildError';
  }
}

/** Loads and validates every database/collections/*.json. */
export function loadCollections(root: string): { collections: CollectionSpec[]; errors: string[] } {
  const dir = path.join(root, 'database', 'collections');
  const errors: string[] = [];
  if (!fs.existsSync(dir)) return { collections: [], errors: [`database/collections/ is missing under ${root}`] };
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const collections: CollectionSpec[] = [];
  for (const f of files) {
    const rel = `database/collections/${f}`;
    const raw = readJson(path.join(dir, f), rel, errors);
    if (raw === undefined) continue;
    const { spec, errors: errs } = validateCollection(raw, f);
    errors.push(...errs.map((e) => `database/collections/${e}`));
    if (spec) collections.push({ ...spec, file: rel });
  }
  if (files.length > MAX_COLLECTIONS) {
    errors.push(`${files.length} collections declared; an environment holds at most ${MAX_COLLECTIONS}`);
  }
  return { collections, errors };
}

/**
 * Deployable functions: folders of cloudfunctions/ with a config.json. Same rule as functionNames()
 * in scripts/lib/project.ts, for any project root (tests use fixture projects).
 */
export function deployableFunctions(root: string): string[] {
  const dir = path.join(root, 'cloudfunctions');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'config.json')))
    .map((d) => d.name)
    .sort();
}

/** Newest modification time of the TypeScript sources under `dir` (node_modules skipped); 0 if none. */
function newestSource(dir: string): { mtime: number; file: string } {
  let best = { mtime: 0, file: '' };
  if (!fs.existsSync(dir)) return best;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = newestSource(p);
      if (sub.mtime > best.mtime) best = sub;
    } else if (e.name.endsWith('.ts')) {
      const m = fs.statSync(p).mtimeMs;
      if (m > best.mtime) best = { mtime: m, file: p };
    }
  }
  return best;
}

/**
 * The bundle must exist and be at least as new as everything bundled into it: the function's own .ts
 * files, cloudfunctions/shared/ and typings/. Returns the problems (empty when the build is current).
 */
export function checkBuild(root: string, fnName: string): string[] {
  const dir = path.join(root, 'cloudfunctions', fnName);
  const bundle = path.join(dir, 'index.js');
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  if (!fs.existsSync(path.join(dir, 'index.ts'))) {
    return [`${rel(dir)}/index.ts is missing: a deployable function needs its source`];
  }
  if (!fs.existsSync(bundle)) {
    return [`${rel(bundle)} is missing (函数未构建 / not built)`];
  }
  const built = fs.statSync(bundle).mtimeMs;
  const sources = [dir, path.join(root, 'cloudfunctions', 'shared'), path.join(root, 'typings')].map(newestSource);
  const newest = sources.reduce((a, b) => (b.mtime > a.mtime ? b : a));
  if (newest.mtime > built) {
    return [`${rel(bundle)} is older than ${rel(newest.file)} (构建已过期 / stale build)`];
  }
  return [];
}

/** Loads and validates every deployable function, and checks that each one is built. */
export function loadFunctions(root: string): { functions: FunctionSpec[]; errors: string[]; buildErrors: string[] } {
  const errors: string[] = [];
  const buildErrors: string[] = [];
  const functions: FunctionSpec[] = [];
  for (const name of deployableFunctions(root)) {
    const dir = path.join(root, 'cloudfunctions', name);
    const raw = readJson(path.join(dir, 'config.json'), `cloudfunctions/${name}/config.json`, errors);
    const { config, errors: errs } =
      raw === undefined ? { config: null, errors: [] } : validateFunctionConfig(raw, name);
    errors.push(...errs);

    const pkgRel = `cloudfunctions/${name}/package.json`;
    if (!fs.existsSync(path.join(dir, 'package.json'))) {
      errors.push(`${pkgRel} is missing: it must list wx-server-sdk so the cloud installs it`);
    } else {
      const pkg = readJson(path.join(dir, 'package.json'), pkgRel, errors);
      if (pkg !== undefined) {
        const deps = isObject(pkg) && isObject(pkg.dependencies) ? pkg.dependencies : {};
        if (typeof deps['wx-server-sdk'] !== 'string') {
          errors.push(`${pkgRel}: "dependencies" must include "wx-server-sdk" (installed in the cloud on deploy)`);
        }
      }
    }
    buildErrors.push(...checkBuild(root, name));
    if (!config) continue;
    // The font a PDF-making function draws with, beside its index.js (scripts/build.ts puts it there).
    const files: FunctionFile[] = (['index.js', 'package.json', 'config.json', FONT_FILE] as const)
      .map((f) => ({ name: f, path: path.join(dir, f) }))
      .filter((f) => fs.existsSync(f.path))
      .map((f) => ({ ...f, size: fs.statSync(f.path).size }));
    functions.push({
      name,
      dir,
      timeout: config.timeout,
      runtime: config.runtime,
      openapi: config.openapi,
      triggers: config.triggers,
      files,
      size: files.reduce((s, f) => s + f.size, 0),
    });
  }
  return { functions, errors, buildErrors };
}

/**
 * Everything the project declares, validated. Throws DefinitionError (malformed files) before
 * BuildError (missing or stale bundles), and either one before anything touches an environment.
 */
export function loadProject(root: string, only: 'db' | 'functions' | null): DesiredState {
  const wantDb = only !== 'functions';
  const wantFns = only !== 'db';
  const db = wantDb ? loadCollections(root) : { collections: [], errors: [] };
  const fns = wantFns ? loadFunctions(root) : { functions: [], errors: [], buildErrors: [] };
  const problems = [...db.errors, ...fns.errors];
  if (problems.length > 0) throw new DefinitionError(problems);
  if (fns.buildErrors.length > 0) throw new BuildError(fns.buildErrors);
  return { collections: db.collections, functions: fns.functions };
}
