/**
 * The wire and storage forms of documents. The SDK sends MongoDB Extended JSON ({"$numberInt": "1"},
 * {"$date": …}, {"$regularExpression": …}) plus one CloudBase extension, {"$tcb_server_date": {offset}};
 * documents are kept in canonical EJSON so that every type comes back exactly as it went in.
 */
import { BSONRegExp, EJSON } from 'bson';
import { invalid } from './errors';

export type Doc = Record<string, unknown>;

const SERVER_DATE = '$tcb_server_date';

/** Parse EJSON from the SDK; `now` resolves db.serverDate() (with its offset) against the local clock. */
export function parseEJSON(text: unknown, what: string, now: () => number): unknown {
  if (text === undefined || text === null || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed =
      typeof text === 'string'
        ? EJSON.parse(text, { relaxed: true })
        : EJSON.deserialize(text as Doc, { relaxed: true });
  } catch (e) {
    throw invalid(`${what} is not valid EJSON: ${(e as Error).message}`);
  }
  return resolveSpecials(parsed, now);
}

function resolveSpecials(v: unknown, now: () => number): unknown {
  if (v instanceof BSONRegExp) {
    const flags = v.options.replace(/[^imsu]/g, '');
    try {
      return new RegExp(v.pattern, flags);
    } catch {
      throw invalid(`invalid regular expression: ${v.pattern}`);
    }
  }
  if (Array.isArray(v)) return v.map((x) => resolveSpecials(x, now));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Doc;
    if (SERVER_DATE in o) {
      const spec = o[SERVER_DATE] as { offset?: number } | undefined;
      return new Date(now() + Number(spec?.offset ?? 0));
    }
    const out: Doc = {};
    for (const [k, x] of Object.entries(o)) out[k] = resolveSpecials(x, now);
    return out;
  }
  return v;
}

/** Canonical EJSON: ints stay $numberInt, doubles $numberDouble, dates $date. */
export function toWire(doc: unknown): string {
  return EJSON.stringify(doc as Doc, { relaxed: false });
}

export function toStorage(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: false });
}

export function fromStorage(text: string): Doc {
  return EJSON.parse(text, { relaxed: true }) as Doc;
}
