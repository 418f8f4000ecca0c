/**
 * Order-preserving binary keys for index entries.
 *
 * SQLite compares BLOBs with memcmp, so a value encoded here sorts against other encoded values the way
 * MongoDB orders BSON values (null < numbers < strings < objects < ObjectId < booleans < dates). The
 * planner only pushes scalar conditions into SQL; everything else is decided by mingo on the fetched
 * documents, so the encoding has to be exact for scalars and merely consistent for the rest.
 */
import { ObjectId } from 'bson';

const enum Tag {
  Null = 0x10,
  Number = 0x20,
  String = 0x30,
  Object = 0x40,
  Array = 0x50,
  Binary = 0x60,
  ObjectId = 0x70,
  Boolean = 0x80,
  Date = 0x90,
  RegExp = 0xa0,
}

export type Scalar = string | number | boolean | Date | ObjectId;

function encodeDouble(n: number): Buffer {
  const buf = Buffer.alloc(9);
  buf[0] = Tag.Number;
  if (Number.isNaN(n)) return buf; // NaN sorts below every other number, as in MongoDB
  buf.writeDoubleBE(n === 0 ? 0 : n, 1); // -0 and 0 are equal
  if (n >= 0) buf[1] ^= 0x80;
  else for (let i = 1; i < 9; i += 1) buf[i] ^= 0xff;
  return buf;
}

function encodeDate(d: Date): Buffer {
  const buf = Buffer.alloc(9);
  buf[0] = Tag.Date;
  buf.writeBigInt64BE(BigInt(d.getTime()), 1);
  buf[1] ^= 0x80;
  return buf;
}

function tagged(tag: Tag, body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from([tag]), b]);
}

/** True for the values whose encoded order matches MongoDB's exactly (the planner pushes only these). */
export function isScalar(v: unknown): v is Scalar {
  return (
    typeof v === 'string' ||
    (typeof v === 'number' && !Number.isNaN(v)) ||
    typeof v === 'boolean' ||
    v instanceof Date ||
    v instanceof ObjectId
  );
}

export function encodeKey(v: unknown): Buffer {
  if (v === null || v === undefined) return Buffer.from([Tag.Null]);
  if (typeof v === 'number') return encodeDouble(v);
  if (typeof v === 'bigint') return encodeDouble(Number(v));
  if (typeof v === 'string') return tagged(Tag.String, v);
  if (typeof v === 'boolean') return Buffer.from([Tag.Boolean, v ? 1 : 0]);
  if (v instanceof Date) return encodeDate(v);
  if (v instanceof ObjectId) return tagged(Tag.ObjectId, Buffer.from(v.id));
  if (v instanceof RegExp) return tagged(Tag.RegExp, `${v.source}/${v.flags}`);
  if (Buffer.isBuffer(v)) return tagged(Tag.Binary, v);
  if (Array.isArray(v)) return tagged(Tag.Array, canonical(v));
  return tagged(Tag.Object, canonical(v));
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Date) return { $date: x.getTime() };
    return x;
  });
}

/** The smallest and largest keys of the type class a scalar belongs to, to bracket range scans. */
export function typeBounds(v: Scalar): [Buffer, Buffer] {
  const tag = encodeKey(v)[0];
  return [Buffer.from([tag]), Buffer.from([tag + 1])];
}

/**
 * The values a document holds at a dotted path, expanded through arrays the way a MongoDB multikey
 * index does: `a.b` over `{a: [{b: 1}, {b: 2}]}` gives 1 and 2; a terminal array gives its elements.
 * A missing path gives `undefined` (indexed as null). `multikey` says whether an array was crossed.
 */
export function valuesAtPath(doc: unknown, path: string): { values: unknown[]; multikey: boolean } {
  const parts = path.split('.');
  let multikey = false;
  const out: unknown[] = [];
  const walk = (node: unknown, i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(node)) {
        multikey = true;
        if (node.length === 0) out.push(undefined);
        else out.push(...node);
      } else out.push(node);
      return;
    }
    if (Array.isArray(node)) {
      multikey = true;
      const idx = /^\d+$/.test(parts[i]) ? Number(parts[i]) : -1;
      if (idx >= 0) walk(node[idx], i + 1);
      else if (node.length === 0) out.push(undefined);
      else for (const el of node) walk(el, i);
      return;
    }
    if (node !== null && typeof node === 'object' && !(node instanceof Date) && !(node instanceof ObjectId)) {
      walk((node as Record<string, unknown>)[parts[i]], i + 1);
      return;
    }
    out.push(undefined);
  };
  walk(doc, 0);
  return { values: out, multikey };
}
