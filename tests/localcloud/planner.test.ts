/**
 * The index planner may only ever narrow what SQLite hands to mingo, never lose a match: for many
 * random documents and queries, the engine (with indexes, multikey arrays, compound keys, sort
 * push-down and early stop) answers exactly what mingo answers over the whole collection.
 */
import fs from 'node:fs';
import { Aggregator, Query } from 'mingo';
import { Engine } from '../../localcloud/db/engine';
import { encodeKey } from '../../localcloud/db/keys';
import { tempDir } from '../helpers/localcloud';

type Doc = Record<string, unknown>;

/** A small deterministic PRNG, so a failure can be reproduced from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const dir = tempDir('wm-planner-');
let engine: Engine;
let docs: Doc[];
const rand = rng(20261129);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const statuses = ['open', 'closed', 'dispatched', 'accepted'] as const;
const values = (): unknown =>
  pick([0, 1, 2, 2.5, -3, 'a', 'b', 'c', null, true, new Date(Date.UTC(2026, 0, 1 + Math.floor(rand() * 5)))]);

beforeAll(() => {
  engine = new Engine(dir);
  engine.applyDefinitions([
    {
      name: 'items',
      indexes: [
        { name: 'status_at', keys: { status: 1, at: -1 } },
        { name: 'tags', keys: { tags: 1 } },
        { name: 'v', keys: { v: 1 } },
        { name: 'nested', keys: { 'o.k': 1, n: 1 } },
        { name: 'tags_n', keys: { tags: 1, n: 1 } },
      ],
    },
  ]);
  docs = Array.from({ length: 600 }, (_v, i) => {
    const d: Doc = { _id: `d${String(i).padStart(4, '0')}`, n: Math.floor(rand() * 50), v: values() };
    if (rand() < 0.9) d.status = pick(statuses);
    if (rand() < 0.8) d.at = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 1e9));
    if (rand() < 0.7) d.tags = Array.from({ length: Math.floor(rand() * 4) }, () => pick(['x', 'y', 'z', 'w', 1, 2]));
    else if (rand() < 0.5) d.tags = pick(['x', 'y', 3]);
    if (rand() < 0.6) d.o = rand() < 0.8 ? { k: pick(['p', 'q', 'r', 7]) } : [{ k: 'p' }, { k: 'q' }];
    return d;
  });
  engine.insert('items', docs);
});

afterAll(() => {
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function randomCondition(): Doc {
  const field = pick(['status', 'at', 'tags', 'v', 'o.k', 'n']);
  const scalar = (): unknown => {
    switch (field) {
      case 'status':
        return pick(statuses);
      case 'at':
        return new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 1e9));
      case 'tags':
        return pick(['x', 'y', 'z', 1, 3]);
      case 'o.k':
        return pick(['p', 'q', 'r', 7]);
      case 'n':
        return Math.floor(rand() * 50);
      default:
        return values();
    }
  };
  const kind = Math.floor(rand() * 7);
  if (kind === 0) return { [field]: scalar() };
  if (kind === 1) return { [field]: { $in: [scalar(), scalar()] } };
  if (kind === 2) return { [field]: { [pick(['$gt', '$gte', '$lt', '$lte'])]: scalar() } };
  if (kind === 3) return { [field]: { $gte: scalar(), $lt: scalar() } };
  if (kind === 4) return { [field]: { $ne: scalar() } };
  if (kind === 5) return { [field]: { $exists: rand() < 0.5 } };
  return { $or: [{ [field]: scalar() }, { n: { $lt: 10 } }] };
}

const ids = (ds: Doc[]) => ds.map((d) => String(d._id));

describe('planner', () => {
  it('never loses or invents a match, whatever index it picks', () => {
    for (let i = 0; i < 400; i += 1) {
      const query: Doc = rand() < 0.5 ? randomCondition() : { $and: [randomCondition(), randomCondition()] };
      const expected = new Query(query).find(docs).all() as Doc[];
      const got = engine.find('items', { query, limit: 10_000 });
      expect({ query, ids: ids(got).sort() }).toEqual({ query, ids: ids(expected).sort() });
      expect(engine.count('items', query)).toBe(expected.length);
    }
  });

  it('sorts, skips and limits like MongoDB, pushing the sort into the index when it can', () => {
    for (let i = 0; i < 150; i += 1) {
      const query: Doc = { status: pick(statuses) };
      if (rand() < 0.5) query.at = { $gte: new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 5e8)) };
      const sort: [string, 1 | -1][] = [[pick(['at', 'n']), rand() < 0.5 ? 1 : -1]];
      const skip = Math.floor(rand() * 5);
      const limit = 1 + Math.floor(rand() * 10);
      const all = new Aggregator([{ $match: query }, { $sort: { [sort[0][0]]: sort[0][1], _id: 1 } }]).run(
        docs,
      ) as Doc[];
      const got = engine.find('items', { query, sort, skip, limit });
      // Ties may come in any order (as in MongoDB): compare the sort keys, and the ids where keys differ.
      const key = (d: Doc) => encodeKey(d[sort[0][0]]).toString('hex');
      expect(got.map(key)).toEqual(all.slice(skip, skip + limit).map(key));
    }
    expect(engine.explain('items', { status: 'open' }, [['at', -1]])).toMatchObject({
      index: 'status_at',
      ordered: true,
    });
    expect(engine.explain('items', { tags: 'x' })).toMatchObject({ index: 'tags' });
    expect(engine.explain('items', { _id: { $gt: 'd0100' } }, [['_id', 1]])).toMatchObject({
      index: '_id',
      ordered: true,
    });
  });

  it('sorts from a multikey index when its array field is pinned to one value, and counts in SQL when it can', () => {
    for (const tag of ['x', 'y', 'z', 1]) {
      const query = { tags: tag };
      expect(engine.explain('items', query, [['n', 1]])).toMatchObject({ ordered: true, countsInSql: true });
      const got = engine.find('items', { query, sort: [['n', 1]], limit: 15 });
      const all = new Aggregator([{ $match: query }, { $sort: { n: 1, _id: 1 } }]).run(docs) as Doc[];
      expect(got.map((d) => d.n)).toEqual(all.slice(0, 15).map((d) => d.n));
      expect(new Set(ids(got)).size).toBe(got.length);
    }
    // $in on the array field may meet a document twice: no sort from the index, no count in SQL alone.
    expect(engine.explain('items', { tags: { $in: ['x', 'y'] } }, [['n', 1]])).toMatchObject({ ordered: false });
    expect(engine.explain('items', { tags: 'x', v: { $exists: true } })).toMatchObject({ countsInSql: false });
  });

  it('pages by _id ranges in order, as exports do', () => {
    const all = ids(docs).sort();
    const got: string[] = [];
    let after = '';
    for (;;) {
      const page = engine.find('items', { query: after ? { _id: { $gt: after } } : {}, sort: [['_id', 1]], limit: 70 });
      if (page.length === 0) break;
      got.push(...ids(page));
      after = String(page[page.length - 1]._id);
    }
    expect(got).toEqual(all);
    const desc = engine.find('items', { query: { _id: { $lte: 'd0010', $gt: 'd0005' } }, sort: [['_id', -1]] });
    expect(ids(desc)).toEqual(['d0010', 'd0009', 'd0008', 'd0007', 'd0006']);
  });
});
