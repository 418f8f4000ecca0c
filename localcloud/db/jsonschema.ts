/**
 * `$jsonSchema` in a query, as MongoDB (and so CloudBase) evaluates it: JSON Schema draft 4 plus
 * `bsonType`, where `type: "object"` means an embedded document (never a date or an array) and
 * `type: "number"` any number. Only the keywords MongoDB documents are known; any other keyword is
 * refused, as MongoDB refuses it, so a schema that would fail in production fails here too.
 */
import { ObjectId } from 'bson';
import { TcbError } from './errors';
import type { Doc } from './ejson';

type Check = (v: unknown) => boolean;

const KEYWORDS = new Set([
  'bsonType', 'type', 'enum', 'required', 'properties', 'additionalProperties', 'patternProperties',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'minProperties',
  'maxProperties', 'dependencies', 'allOf', 'anyOf', 'oneOf', 'not', 'title', 'description',
]); // prettier-ignore

const isDoc = (v: unknown): v is Doc =>
  !!v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof RegExp) &&
  !(v instanceof ObjectId);

const BSON_TYPES: Record<string, Check> = {
  double: (v) => typeof v === 'number' && !Number.isInteger(v),
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  long: (v) => typeof v === 'number' && Number.isInteger(v),
  decimal: (v) => typeof v === 'number',
  number: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  object: isDoc,
  array: Array.isArray,
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => v instanceof RegExp,
  objectId: (v) => v instanceof ObjectId,
};

const JSON_TYPES: Record<string, Check> = {
  object: isDoc,
  array: Array.isArray,
  number: (v) => typeof v === 'number',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
};

const bad = (why: string): TcbError => new TcbError('DATABASE_INVALID_OPERRATOR', `invalid $jsonSchema: ${why}`);

function typeCheck(spec: unknown, table: Record<string, Check>, keyword: string): Check {
  const names = Array.isArray(spec) ? spec : [spec];
  const checks = names.map((n) => {
    const c = typeof n === 'string' ? table[n] : undefined;
    if (!c) throw bad(`unknown ${keyword} ${JSON.stringify(n)}`);
    return c;
  });
  return (v) => checks.some((c) => c(v));
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Compiles a schema into a predicate; throws for a schema MongoDB would refuse. */
export function compileSchema(schema: unknown): Check {
  if (!isDoc(schema)) throw bad('a schema must be an object');
  const checks: Check[] = [];
  const num = (k: string): number => {
    if (typeof schema[k] !== 'number') throw bad(`${k} must be a number`);
    return schema[k] as number;
  };
  for (const k of Object.keys(schema)) {
    if (!KEYWORDS.has(k)) throw bad(`unknown keyword ${k}`);
  }
  if ('bsonType' in schema && 'type' in schema) throw bad('type and bsonType cannot both be given');
  if ('bsonType' in schema) checks.push(typeCheck(schema.bsonType, BSON_TYPES, 'bsonType'));
  if ('type' in schema) checks.push(typeCheck(schema.type, JSON_TYPES, 'type'));
  if ('enum' in schema) {
    const values = schema.enum;
    if (!Array.isArray(values) || values.length === 0) throw bad('enum must be a non-empty array');
    checks.push((v) => values.some((x) => same(x, v)));
  }
  // The keywords below constrain only values of their own kind, as in JSON Schema.
  const onNumber =
    (c: Check): Check =>
    (v) =>
      typeof v !== 'number' || c(v);
  if ('minimum' in schema) {
    const m = num('minimum');
    checks.push(onNumber((v) => (schema.exclusiveMinimum === true ? (v as number) > m : (v as number) >= m)));
  }
  if ('maximum' in schema) {
    const m = num('maximum');
    checks.push(onNumber((v) => (schema.exclusiveMaximum === true ? (v as number) < m : (v as number) <= m)));
  }
  if ('multipleOf' in schema) {
    const m = num('multipleOf');
    checks.push(onNumber((v) => Number.isInteger((v as number) / m)));
  }
  const onString =
    (c: (s: string) => boolean): Check =>
    (v) =>
      typeof v !== 'string' || c(v);
  if ('minLength' in schema) {
    const m = num('minLength');
    checks.push(onString((s) => [...s].length >= m));
  }
  if ('maxLength' in schema) {
    const m = num('maxLength');
    checks.push(onString((s) => [...s].length <= m));
  }
  if ('pattern' in schema) {
    if (typeof schema.pattern !== 'string') throw bad('pattern must be a string');
    const re = new RegExp(schema.pattern, 'u');
    checks.push(onString((s) => re.test(s)));
  }
  const onArray =
    (c: (a: unknown[]) => boolean): Check =>
    (v) =>
      !Array.isArray(v) || c(v);
  if ('minItems' in schema) {
    const m = num('minItems');
    checks.push(onArray((a) => a.length >= m));
  }
  if ('maxItems' in schema) {
    const m = num('maxItems');
    checks.push(onArray((a) => a.length <= m));
  }
  if (schema.uniqueItems === true) {
    checks.push(onArray((a) => new Set(a.map((x) => JSON.stringify(x))).size === a.length));
  }
  if ('items' in schema) {
    if (Array.isArray(schema.items)) {
      const each = schema.items.map(compileSchema);
      const extra = isDoc(schema.additionalItems) ? compileSchema(schema.additionalItems) : undefined;
      const noExtra = schema.additionalItems === false;
      checks.push(
        onArray((a) => a.every((x, i) => (i < each.length ? each[i](x) : noExtra ? false : extra ? extra(x) : true))),
      );
    } else {
      const each = compileSchema(schema.items);
      checks.push(onArray((a) => a.every(each)));
    }
  }
  checks.push(...objectChecks(schema));
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (!(k in schema)) continue;
    const list = schema[k];
    if (!Array.isArray(list) || list.length === 0) throw bad(`${k} must be a non-empty array`);
    const subs = list.map(compileSchema);
    if (k === 'allOf') checks.push((v) => subs.every((s) => s(v)));
    else if (k === 'anyOf') checks.push((v) => subs.some((s) => s(v)));
    else checks.push((v) => subs.filter((s) => s(v)).length === 1);
  }
  if ('not' in schema) {
    const sub = compileSchema(schema.not);
    checks.push((v) => !sub(v));
  }
  return (v) => checks.every((c) => c(v));
}

function objectChecks(schema: Doc): Check[] {
  const checks: Check[] = [];
  const onDoc =
    (c: (d: Doc) => boolean): Check =>
    (v) =>
      !isDoc(v) || c(v);
  if ('required' in schema) {
    const req = schema.required;
    if (!Array.isArray(req) || req.length === 0 || !req.every((r) => typeof r === 'string')) {
      throw bad('required must be a non-empty array of field names');
    }
    checks.push(onDoc((d) => req.every((r: string) => r in d)));
  }
  for (const k of ['minProperties', 'maxProperties'] as const) {
    if (!(k in schema)) continue;
    const m = schema[k];
    if (typeof m !== 'number') throw bad(`${k} must be a number`);
    checks.push(onDoc((d) => (k === 'minProperties' ? Object.keys(d).length >= m : Object.keys(d).length <= m)));
  }
  const props = isDoc(schema.properties)
    ? Object.entries(schema.properties).map(([name, s]) => [name, compileSchema(s)] as const)
    : [];
  const patterns = isDoc(schema.patternProperties)
    ? Object.entries(schema.patternProperties).map(([p, s]) => [new RegExp(p, 'u'), compileSchema(s)] as const)
    : [];
  if (props.length > 0 || patterns.length > 0) {
    checks.push(
      onDoc(
        (d) =>
          props.every(([name, c]) => !(name in d) || c(d[name])) &&
          patterns.every(([re, c]) => Object.keys(d).every((k) => !re.test(k) || c(d[k]))),
      ),
    );
  }
  if ('additionalProperties' in schema) {
    const extra = schema.additionalProperties;
    const known = new Set(props.map(([n]) => n));
    const isExtra = (k: string) => !known.has(k) && !patterns.some(([re]) => re.test(k));
    if (extra === false) checks.push(onDoc((d) => Object.keys(d).every((k) => !isExtra(k))));
    else if (isDoc(extra)) {
      const c = compileSchema(extra);
      checks.push(onDoc((d) => Object.keys(d).every((k) => !isExtra(k) || c(d[k]))));
    }
  }
  if (isDoc(schema.dependencies)) {
    for (const [field, dep] of Object.entries(schema.dependencies)) {
      const c: Check = Array.isArray(dep) ? (v) => dep.every((f: string) => f in (v as Doc)) : compileSchema(dep);
      checks.push(onDoc((d) => !(field in d) || c(d)));
    }
  }
  return checks;
}
