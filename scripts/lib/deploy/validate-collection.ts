/**
 * One database/collections/*.json checked against the platform's rules and the project's own (the
 * cloud functions own every collection, so clients never write). Pure: the tests call it directly.
 */
import path from 'node:path';
import { describe, isObject } from './json';
import type { CollectionSpec, Direction, IndexSpec, SecurityRule } from './types';

/** Platform limits (PLATFORM.md): 100 collections per environment, 20 indexes per collection (incl. _id_). */
export const MAX_COLLECTIONS = 100;
export const MAX_INDEXES_PER_COLLECTION = 20;

export const BUILTIN_ID_INDEX = '_id_';

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const INDEX_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const RULE_KEYS = ['read', 'write', 'create', 'update', 'delete'];
const WRITE_KEYS = ['write', 'create', 'update', 'delete'];
const COLLECTION_KEYS = ['name', 'description', 'indexes', 'rules', '//', '$schema'];
const INDEX_KEYS = ['name', 'keys', 'unique'];

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
        // A compound geo index (MongoDB's { status: 1, geo: "2dsphere" }) narrows geoNear by its other
        // fields; the local cloud keeps each as one more dimension of an R*Tree, which has room for three.
        const geoFields = keys.filter(([, d]) => d === '2dsphere').length;
        if (geoFields > 0 && (geoFields !== 1 || keys.length > 4 || ix.unique === true)) {
          at(`${label}: a "2dsphere" index has one 2dsphere field and at most 3 others, and is not unique`);
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
