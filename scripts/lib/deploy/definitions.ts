/**
 * Reads and validates what the project declares: database/collections/*.json and the deployable
 * functions under cloudfunctions/ (folders with a config.json). Every problem in every file is
 * collected first, so one run lists them all, and nothing is applied while any remains.
 *
 * The validators (`validateCollection`, `validateFunctionConfig`, `checkBuild`) are pure or read only
 * the files they are given, so the tests call them directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  CollectionSpec,
  DesiredState,
  Direction,
  FunctionFile,
  FunctionSpec,
  IndexSpec,
  SecurityRule,
  TimerTrigger,
} from './types';

/** Runtime used when config.json names none. Matches the bundle's target (esbuild `node16`). */
export const DEFAULT_RUNTIME = 'Nodejs16.13';

/** Platform limits (PLATFORM.md): 100 collections per environment, 20 indexes per collection (incl. _id_). */
export const MAX_COLLECTIONS = 100;
export const MAX_INDEXES_PER_COLLECTION = 20;

export const BUILTIN_ID_INDEX = '_id_';

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

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const INDEX_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{1,59}$/;
/** WeChat's limit for timer trigger names: 60 characters, starting with a letter. */
const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;
const OPENAPI_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;
const RUNTIME = /^Nodejs\d+\.\d+$/;
const RULE_KEYS = ['read', 'write', 'create', 'update', 'delete'];
const WRITE_KEYS = ['write', 'create', 'update', 'delete'];
const COLLECTION_KEYS = ['name', 'description', 'indexes', 'rules', '//', '$schema'];
const INDEX_KEYS = ['name', 'keys', 'unique'];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  return JSON.stringify(x) ?? String(x);
}

/**
 * Validates one collection definition. `fileName` is the file's base name (users.json): the collection
 * must be named after its file, so two files can never declare the same collection.
 */
export function validateCollection(raw: unknown, fileName: string): { spec: CollectionSpec | null; errors: string[] } {
  const errors: string[] = [];
  const at = (m: string) => errors.push(`${fileName}: ${m}`);
  if (!isObject(raw)) {
    at('must be a JSON object { "name", "description", "indexes", "rules" }');
    return { spec: null, errors };
  }
  for (const k of Object.keys(raw)) {
    if (!COLLECTION_KEYS.includes(k)) at(`unknown field "${k}" (allowed: name, description, indexes, rules)`);
  }

  const expected = path.basename(fileName, '.json');
  const name = raw.name;
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    at(`"name" must be a collection name (a letter, then letters, digits, _ or -; at most 64), got ${describe(name)}`);
  } else if (name !== expected) {
    at(`"name" is "${name}" but the file is ${fileName}: name the file after the collection (${name}.json)`);
  }
  if (typeof raw.description !== 'string' || raw.description.trim() === '') {
    at('"description" must be a non-empty string saying what the collection holds');
  }

  const indexes: IndexSpec[] = [];
  if (!Array.isArray(raw.indexes)) {
    at('"indexes" must be an array (use [] for none)');
  } else {
    const names = new Set<string>();
    const shapes = new Map<string, string>();
    raw.indexes.forEach((ix: unknown, i: number) => {
      const where = `indexes[${i}]`;
      if (!isObject(ix)) {
        at(`${where} must be an object { "name", "keys", "unique"? }`);
        return;
      }
      for (const k of Object.keys(ix)) {
        if (!INDEX_KEYS.includes(k)) at(`${where}: unknown field "${k}" (allowed: name, keys, unique)`);
      }
      const ixName = ix.name;
      let nameOk = false;
      if (ixName === BUILTIN_ID_INDEX) {
        at(`${where}: "${BUILTIN_ID_INDEX}" is the built-in _id index; do not declare it`);
      } else if (typeof ixName !== 'string' || !INDEX_NAME.test(ixName)) {
        at(`${where}: "name" must be an index name (a letter, then letters, digits, _ or -), got ${describe(ixName)}`);
      } else if (names.has(ixName)) {
        at(`${where}: index name "${ixName}" is used twice in this collection`);
      } else {
        names.add(ixName);
        nameOk = true;
      }
      const label = typeof ixName === 'string' ? `index "${ixName}"` : where;

      const keys: Array<[string, Direction]> = [];
      if (!isObject(ix.keys) || Object.keys(ix.keys).length === 0) {
        at(`${label}: "keys" must be a non-empty object { "<field>": 1 | -1 | "2dsphere", ... }`);
      } else {
        for (const [field, dir] of Object.entries(ix.keys)) {
          if (field === '' || field.startsWith('$') || field.split('.').some((s) => s === '')) {
            at(`${label}: "${field}" is not a valid field path`);
          }
          if (dir !== 1 && dir !== -1 && dir !== '2dsphere') {
            at(`${label}: direction of "${field}" must be 1 or -1 (a number) or "2dsphere", got ${describe(dir)}`);
          } else {
            keys.push([field, dir]);
          }
        }
        if (keys.some(([, d]) => d === '2dsphere') && (keys.length !== 1 || ix.unique === true)) {
          at(`${label}: a "2dsphere" index has exactly one field and is not unique`);
        }
        if (keys.length === 1 && keys[0][0] === '_id') {
          at(`${label}: _id is already indexed by the built-in ${BUILTIN_ID_INDEX} index`);
        }
      }
      if (ix.unique !== undefined && typeof ix.unique !== 'boolean') {
        at(`${label}: "unique" must be true or false, got ${describe(ix.unique)}`);
      }
      const unique = ix.unique === true;
      if (keys.length > 0) {
        const shape = JSON.stringify(keys);
        const twin = shapes.get(shape);
        if (twin !== undefined) at(`${label}: same keys as index "${twin}"`);
        else if (typeof ixName === 'string') shapes.set(shape, ixName);
      }
      if (nameOk && keys.length === Object.keys(isObject(ix.keys) ? ix.keys : {}).length && keys.length > 0) {
        indexes.push({ name: ixName as string, keys, unique });
      }
    });
    if (raw.indexes.length > MAX_INDEXES_PER_COLLECTION - 1) {
      at(
        `${raw.indexes.length} indexes declared; a collection holds at most ${MAX_INDEXES_PER_COLLECTION} including the built-in _id_`,
      );
    }
  }

  const rules = validateRule(raw.rules, at);
  if (errors.length > 0) return { spec: null, errors };
  return {
    spec: {
      name: name as string,
      description: raw.description as string,
      indexes,
      rules: rules as SecurityRule,
      file: fileName,
    },
    errors,
  };
}

/**
 * A rule is `{ "read": …, "write": … }` (or `create`/`update`/`delete` instead of `write`). Values are
 * booleans or rule expressions. Clients must never write: the cloud functions own every collection
 * (DESIGN.md, non-negotiables), so every write key must be `false`.
 */
function validateRule(raw: unknown, at: (m: string) => void): SecurityRule | null {
  if (raw === undefined) {
    at('"rules" is missing: declare the security rule, e.g. { "read": false, "write": false }');
    return null;
  }
  if (!isObject(raw)) {
    at(`"rules" must be an object like { "read": false, "write": false }, got ${describe(raw)}`);
    return null;
  }
  let ok = true;
  for (const [k, v] of Object.entries(raw)) {
    if (!RULE_KEYS.includes(k)) {
      at(`rules: unknown operation "${k}" (allowed: ${RULE_KEYS.join(', ')})`);
      ok = false;
    } else if (typeof v !== 'boolean' && (typeof v !== 'string' || v.trim() === '')) {
      at(`rules.${k} must be true, false or a rule expression string, got ${describe(v)}`);
      ok = false;
    }
  }
  if (!('read' in raw)) {
    at('rules.read is missing');
    ok = false;
  }
  const hasWrite = 'write' in raw;
  const split = ['create', 'update', 'delete'].filter((k) => k in raw);
  if (!hasWrite && split.length !== 3) {
    at('rules must say who may write: "write", or all of "create", "update" and "delete"');
    ok = false;
  }
  for (const k of WRITE_KEYS) {
    if (k in raw && raw[k] !== false) {
      at(
        `rules.${k} is ${describe(raw[k])}: client writes must be denied (false); the cloud functions own every collection`,
      );
      ok = false;
    }
  }
  return ok ? (raw as SecurityRule) : null;
}

export interface FunctionConfig {
  timeout: number;
  runtime: string;
  openapi: string[];
  triggers: TimerTrigger[];
}

/** Validates a function's config.json (and the name of its folder). */
export function validateFunctionConfig(
  raw: unknown,
  fnName: string,
): { config: FunctionConfig | null; errors: string[] } {
  const errors: string[] = [];
  const at = (m: string) => errors.push(`cloudfunctions/${fnName}/config.json: ${m}`);
  if (!FUNCTION_NAME.test(fnName)) {
    errors.push(
      `cloudfunctions/${fnName}: "${fnName}" is not a valid function name (a letter, then letters, digits, _ or -; 2 to 60)`,
    );
  }
  if (!isObject(raw)) {
    at('must be a JSON object { "timeout", "permissions": { "openapi": [] }, "triggers"? }');
    return { config: null, errors };
  }
  const timeout = raw.timeout;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
    at(
      `"timeout" must be a whole number of seconds from 1 to 900 (the platform default of 3 s is too short), got ${describe(timeout)}`,
    );
  }
  let runtime = DEFAULT_RUNTIME;
  if (raw.runtime !== undefined) {
    if (typeof raw.runtime !== 'string' || !RUNTIME.test(raw.runtime)) {
      at(`"runtime" must look like "Nodejs16.13", got ${describe(raw.runtime)}`);
    } else {
      runtime = raw.runtime;
    }
  }
  const openapi: string[] = [];
  if (raw.permissions !== undefined) {
    if (!isObject(raw.permissions)) {
      at('"permissions" must be an object { "openapi": [ "<api>", ... ] }');
    } else if (raw.permissions.openapi !== undefined) {
      const list = raw.permissions.openapi;
      if (!Array.isArray(list)) {
        at('"permissions.openapi" must be an array of API names like "subscribeMessage.send"');
      } else {
        for (const api of list) {
          if (typeof api !== 'string' || !OPENAPI_NAME.test(api)) {
            at(`"permissions.openapi": ${describe(api)} is not an API name like "subscribeMessage.send"`);
          } else if (openapi.includes(api)) {
            at(`"permissions.openapi": "${api}" is listed twice`);
          } else {
            openapi.push(api);
          }
        }
      }
    }
  }
  const triggers: TimerTrigger[] = [];
  if (raw.triggers !== undefined) {
    if (!Array.isArray(raw.triggers)) {
      at('"triggers" must be an array of { "name", "type": "timer", "config": "<7-field cron>" }');
    } else {
      if (raw.triggers.length > 1) at('only one trigger per function is supported');
      raw.triggers.forEach((t: unknown, i: number) => {
        const where = `triggers[${i}]`;
        if (!isObject(t)) {
          at(`${where} must be an object { "name", "type": "timer", "config" }`);
          return;
        }
        let ok = true;
        if (typeof t.name !== 'string' || !TRIGGER_NAME.test(t.name)) {
          at(`${where}: "name" must be letters, digits, _ or - (a letter first, at most 60), got ${describe(t.name)}`);
          ok = false;
        }
        if (t.type !== 'timer') {
          at(`${where}: "type" must be "timer" (the only trigger CloudBase deploys), got ${describe(t.type)}`);
          ok = false;
        }
        if (typeof t.config !== 'string' || t.config.trim().split(/\s+/).length !== 7) {
          at(
            `${where}: "config" must be a 7-field cron "sec min hour day month weekday year", got ${describe(t.config)}`,
          );
          ok = false;
        }
        if (ok) {
          triggers.push({
            name: t.name as string,
            type: 'timer',
            config: (t.config as string).trim().split(/\s+/).join(' '),
          });
        }
      });
    }
  }
  if (errors.length > 0) return { config: null, errors };
  return { config: { timeout: timeout as number, runtime, openapi, triggers }, errors };
}

function readJson(file: string, rel: string, errors: string[]): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    errors.push(`${rel}: cannot be read (${(e as Error).message})`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    errors.push(`${rel}: is not valid JSON (${(e as Error).message})`);
    return undefined;
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
    const files: FunctionFile[] = (['index.js', 'package.json', 'config.json'] as const)
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
