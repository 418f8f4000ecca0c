/**
 * Where mingo and MongoDB (so CloudBase) disagree, MongoDB's documented meaning wins: the operators
 * below replace mingo's in the options every query and pipeline of the local cloud runs with.
 * Requests are data, never code: $where, $function and $accumulator stay off.
 */
import { Aggregator as AggregatorBase } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import * as accumulator from 'mingo/operators/accumulator';
import * as expression from 'mingo/operators/expression';
import { $dayOfWeek, $dayOfYear, $substrBytes as mingoSubstrBytes } from 'mingo/operators/expression';
import * as pipeline from 'mingo/operators/pipeline';
import * as projection from 'mingo/operators/projection';
import * as query from 'mingo/operators/query';
import * as window from 'mingo/operators/window';
import { Query as QueryBase } from 'mingo/query';
import type { Options } from 'mingo/types';
import { isObject, isOperator, resolve } from 'mingo/util';
import { compileSchema } from './jsonschema';
import { GEO_QUERY_OPS } from './geo';

type Any = unknown;
type Obj = Record<string, unknown>;
type Ops = NonNullable<NonNullable<Parameters<typeof Context.init>[0]>['query']>;
type Predicate = (o: Any) => boolean;

/**
 * `$elemMatch` with field conditions considers only the array's embedded documents (MongoDB
 * documents "at least one embedded document"); mingo also tries plain values, so `{a: {$ne: 1}}`
 * matched `[5]`. Operator-only conditions (`{$gt: 1}`) still apply to plain values.
 */
function $elemMatch(selector: string, criteria: Any, options: Options): Predicate {
  if (!isObject(criteria)) throw new Error('$elemMatch needs an object');
  const keys = Object.keys(criteria);
  const onValues = keys.length > 0 && keys.every((k) => isOperator(k) && !['$and', '$or', '$nor'].includes(k));
  const q = new QueryBase(onValues ? { v: criteria } : (criteria as Record<string, Any>), options);
  const test = onValues ? (x: Any) => q.test({ v: x }) : (x: Any) => isObject(x) && q.test(x as Record<string, Any>);
  return (o) => {
    const arr = resolve(o as Record<string, Any>, selector, { unwrapArray: true });
    return Array.isArray(arr) && arr.some(test);
  };
}

function $jsonSchema(_selector: string, schema: Any, _options: Options): Predicate {
  const check = compileSchema(schema);
  return (o) => check(o);
}

const literal = (v: Any): Any => ({ $literal: v });

/**
 * `$substrBytes` (and its old name `$substr`): a negative length means the rest of the string and a
 * negative start gives "", as MongoDB documents; mingo refused both.
 */
function $substrBytes(obj: Any, expr: Any, options: Options): Any {
  if (!Array.isArray(expr) || expr.length !== 3) throw new Error('$substrBytes expects array(3)');
  const [s, start, count] = evalExpr(obj, expr, options) as [Any, Any, Any];
  if (s === null || s === undefined) return '';
  if (typeof s !== 'string') throw new Error('$substrBytes needs a string');
  if (typeof start !== 'number' || typeof count !== 'number') throw new Error('$substrBytes needs numbers');
  const bytes = Buffer.byteLength(s, 'utf8');
  if (start < 0 || start >= bytes) return '';
  const n = count < 0 ? bytes - start : Math.min(count, bytes - start);
  return mingoSubstrBytes(obj as Obj, [literal(s), Math.trunc(start), Math.trunc(n)], options);
}

/** `$indexOfCP`: the code point index of the first occurrence, -1 when absent, null for a missing string. */
function $indexOfCP(obj: Any, expr: Any, options: Options): Any {
  if (!Array.isArray(expr) || expr.length < 2 || expr.length > 4) throw new Error('$indexOfCP expects array(2..4)');
  const [s, sub, start, end] = evalExpr(obj, expr, options) as [Any, Any, Any, Any];
  if (s === null || s === undefined) return null;
  if (typeof s !== 'string' || typeof sub !== 'string') throw new Error('$indexOfCP needs strings');
  const cps = [...s];
  const from = start === undefined ? 0 : Number(start);
  const to = end === undefined ? cps.length : Math.min(Number(end), cps.length);
  if (!Number.isInteger(from) || from < 0 || !Number.isInteger(to) || to < 0) {
    throw new Error('$indexOfCP start and end must be non-negative integers');
  }
  const needle = [...sub];
  for (let i = from; i + needle.length <= to; i += 1) {
    if (needle.every((c, j) => cps[i + j] === c)) return i;
  }
  return -1;
}

/**
 * `$week`: weeks begin on Sunday and the days before the year's first Sunday are week 0 (MongoDB's
 * definition, strftime %U). mingo counted from 1.
 */
function $week(obj: Any, expr: Any, options: Options): Any {
  const doy = $dayOfYear(obj as Obj, expr, options);
  const dow = $dayOfWeek(obj as Obj, expr, options);
  if (typeof doy !== 'number' || typeof dow !== 'number') return null;
  return Math.floor((doy - dow + 7) / 7);
}

// mingo's own entry merges a caller's context under its defaults (the defaults win), so the context
// here is complete: mingo's operators with these in their place.
const CONTEXT = Context.init({
  accumulator,
  expression: { ...expression, $substrBytes, $substr: $substrBytes, $indexOfCP, $week },
  pipeline,
  projection,
  query: { ...query, $elemMatch, $jsonSchema, ...(GEO_QUERY_OPS as unknown as Ops) },
  window,
});

export const MINGO = { scriptEnabled: false, context: CONTEXT } as const;

export class Query extends QueryBase {}
export class Aggregator extends AggregatorBase {}
