/**
 * The local cloud's database, driven by the real wx-server-sdk over HTTP: what the functions rely on
 * (types round-trip, operators, unique indexes, conditional updates, transactions) behaves as CloudBase
 * documents it.
 */
import { TRANSACTION_TTL_MS } from '../../localcloud/db/engine';
import { sdkFor, startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;
let sdk: ReturnType<typeof sdkFor>;
let db: ReturnType<ReturnType<typeof sdkFor>['database']>;

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  cloud = await startTestCloud();
  // Collections of our own for these tests, with indexes like the project's definitions declare.
  cloud.engine.applyDefinitions([
    {
      name: 'things',
      indexes: [
        { name: 'code_unique', keys: { code: 1 }, unique: true },
        { name: 'kind_at', keys: { kind: 1, at: -1 } },
        { name: 'tags', keys: { tags: 1 } },
      ],
    },
    { name: 'stock', indexes: [] },
  ]);
  sdk = sdkFor(cloud);
  db = sdk.database();
});

afterAll(async () => {
  await cloud.close();
});

const things = () => db.collection('things');
const list = async (q: { get(): unknown }): Promise<Any[]> => ((await q.get()) as { data: Any[] }).data;

async function expectError(p: unknown, pattern: RegExp): Promise<Any> {
  try {
    await p;
  } catch (e) {
    expect(String((e as Any).errMsg ?? (e as Any).message)).toMatch(pattern);
    return e as Any;
  }
  throw new Error(`expected an error matching ${pattern}`);
}

describe('documents', () => {
  it('round-trips dates, integers, doubles, nested objects and arrays exactly', async () => {
    const at = new Date('2026-03-01T08:30:00.123Z');
    const { _id } = (await things().add({
      data: {
        code: 'rt-1',
        kind: 'a',
        at,
        n: 7,
        x: 1.25,
        big: 2 ** 40,
        nested: { deep: { v: 'x' } },
        tags: ['a', 'b'],
        none: null,
      },
    })) as { _id: string };
    expect(_id).toMatch(/^[0-9a-f]{32}$/);
    const [doc] = await list(things().where({ _id }));
    expect(doc).toEqual({
      _id,
      code: 'rt-1',
      kind: 'a',
      at,
      n: 7,
      x: 1.25,
      big: 2 ** 40,
      nested: { deep: { v: 'x' } },
      tags: ['a', 'b'],
      none: null,
    });
    expect(doc.at).toBeInstanceOf(Date);
  });

  it('resolves db.serverDate() against the local clock', async () => {
    // The stamp lies between the moment set and that moment plus the real time the calls took, however long.
    const set = Date.parse('2030-01-02T03:04:05.000Z');
    const started = Date.now();
    await cloud.setClock(new Date(set).toISOString());
    try {
      const { _id } = (await things().add({ data: { code: 'sd-1', stamped: db.serverDate() } })) as { _id: string };
      const [doc] = await list(things().where({ _id }));
      const elapsed = Date.now() - started;
      expect(doc.stamped.getTime()).toBeGreaterThanOrEqual(set);
      expect(doc.stamped.getTime()).toBeLessThanOrEqual(set + elapsed);
    } finally {
      await cloud.setClock(null);
    }
  });

  it('answers a missing document of doc().get() with an error, as CloudBase does', async () => {
    await expectError(things().doc('no-such-id').get(), /does not exist/);
  });

  it('refuses a collection that does not exist with -502005', async () => {
    const e = await expectError(db.collection('nope').add({ data: { a: 1 } }), /not exist/);
    expect(e.errCode).toBe(-502005);
  });
});

describe('queries', () => {
  beforeAll(async () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 30; i += 1) {
      await things().add({
        data: {
          code: `q-${i}`,
          kind: i % 3 === 0 ? 'fizz' : 'plain',
          at: new Date(base + i * 3600_000),
          n: i,
          tags: [`t${i % 4}`, 'all'],
        },
      });
    }
  });

  it('filters with comparison, $in, $or and regular expressions', async () => {
    const _ = db.command;
    const gt = await list(things().where({ n: _.gt(25), code: db.RegExp({ regexp: '^q-', options: 'i' }) }));
    expect(gt.map((d) => d.n).sort((a, b) => a - b)).toEqual([26, 27, 28, 29]);
    const either = await list(things().where(_.or([{ n: 1 }, { n: _.in([2, 3]) }])));
    expect(either.map((d) => d.n).sort()).toEqual([1, 2, 3]);
    const arr = await list(things().where({ tags: 't1', code: db.RegExp({ regexp: '^q-' }) }));
    expect(arr.map((d) => d.n).sort((a, b) => a - b)).toEqual([1, 5, 9, 13, 17, 21, 25, 29]);
  });

  it('sorts, skips, limits and projects', async () => {
    const page = await list(things().where({ kind: 'fizz' }).orderBy('at', 'desc').skip(1).limit(3).field({ n: true }));
    expect(page).toEqual([
      { _id: expect.any(String), n: 24 },
      { _id: expect.any(String), n: 21 },
      { _id: expect.any(String), n: 18 },
    ]);
  });

  it('sorts on a field no index holds', async () => {
    const page = await list(
      things()
        .where({ code: db.RegExp({ regexp: '^q-' }) })
        .orderBy('n', 'desc')
        .limit(2),
    );
    expect(page.map((d) => d.n)).toEqual([29, 28]);
  });

  it('counts and aggregates', async () => {
    const _ = db.command;
    const { total } = (await things()
      .where({ n: _.gte(10).and(_.lt(20)) })
      .count()) as { total: number };
    expect(total).toBe(10);
    const $ = db.command.aggregate;
    const { list: groups } = (await things()
      .aggregate()
      .match({ code: db.RegExp({ regexp: '^q-' }) })
      .group({ _id: '$kind', count: $.sum(1), top: $.max('$n') })
      .sort({ _id: 1 })
      .end()) as { list: Any[] };
    expect(groups).toEqual([
      { _id: 'fizz', count: 10, top: 27 },
      { _id: 'plain', count: 20, top: 29 },
    ]);
  });

  it('answers at most 20 aggregation results when the pipeline has no limit, as CloudBase is reported to', async () => {
    const match = { code: db.RegExp({ regexp: '^q-' }) };
    const all = (await things().aggregate().match(match).end()) as { list: Any[] };
    expect(all.list).toHaveLength(20);
    const limited = (await things().aggregate().match(match).limit(25).end()) as { list: Any[] };
    expect(limited.list).toHaveLength(25);
  });

  it('answers 100 documents when no limit is given, and refuses a raw request for more than 1000', async () => {
    await things().add({ data: Array.from({ length: 120 }, (_v, i) => ({ code: `many-${i}`, kind: 'many' })) });
    expect(await list(things().where({ kind: 'many' }))).toHaveLength(100);
    const r = await cloud.post(
      '/admin',
      JSON.stringify({
        action: 'database.getDocument',
        collectionName: 'things',
        query: '{}',
        queryType: 'WHERE',
        limit: 5000,
      }),
    );
    expect(r.json).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/limit/) });
  });
});

describe('updates', () => {
  it('applies update operators and reports what changed', async () => {
    const _ = db.command;
    const { _id } = (await things().add({ data: { code: 'up-1', n: 1, tags: ['a'], o: { k: 1 }, gone: true } })) as {
      _id: string;
    };
    const r = (await things()
      .doc(_id)
      .update({
        data: { n: _.inc(2), tags: _.push(['b']), o: { k: 5 }, gone: _.remove(), more: _.addToSet('x') },
      })) as Any;
    expect(r.stats.updated).toBe(1);
    const [doc] = await list(things().where({ _id }));
    expect(doc).toEqual({ _id, code: 'up-1', n: 3, tags: ['a', 'b'], o: { k: 5 }, more: ['x'] });
    // Setting a value it already has changes nothing, yet counts as updated: CloudBase answers the
    // documents matched (reported; README, "Where the local cloud differs").
    const same = (await things()
      .doc(_id)
      .update({ data: { n: 3 } })) as Any;
    expect(same.stats.updated).toBe(1);
  });

  it('replaces a whole document with set() and creates it when missing', async () => {
    await things()
      .doc('fixed-id')
      .set({ data: { code: 'set-1', v: 1 } });
    await things()
      .doc('fixed-id')
      .set({ data: { code: 'set-1', v: 2 } });
    expect(await list(things().where({ _id: 'fixed-id' }))).toEqual([{ _id: 'fixed-id', code: 'set-1', v: 2 }]);
  });

  it('removes what matches', async () => {
    await things().add({ data: { code: 'rm-1', kind: 'rm' } });
    await things().add({ data: { code: 'rm-2', kind: 'rm' } });
    const r = (await things().where({ kind: 'rm' }).remove()) as Any;
    expect(r.stats.removed).toBe(2);
    expect(await list(things().where({ kind: 'rm' }))).toEqual([]);
  });
});

describe('unique indexes', () => {
  it('is created over documents already there, as start-up applies a newly declared index', async () => {
    cloud.engine.createCollection('later');
    cloud.engine.insert('later', [{ code: 'a', at: { type: 'Point', coordinates: [120, 31] } }, { code: 'b' }]);
    cloud.engine.createIndex('later', { name: 'code', keys: { code: 1 }, unique: true });
    cloud.engine.createIndex('later', { name: 'at', keys: { at: '2dsphere' } });
    expect(cloud.engine.explain('later', { code: 'a' }).index).toBe('code');
    await expectError(db.collection('later').add({ data: { code: 'a' } }), /E11000/);
    const _ = db.command;
    const near = await list(
      db.collection('later').where({ at: _.geoNear({ geometry: new db.Geo.Point(120, 31), maxDistance: 10 }) }),
    );
    expect(near.map((d) => d.code)).toEqual(['a']);
  });

  it('refuses a duplicate on insert with E11000 and stores nothing', async () => {
    await things().add({ data: { code: 'dup-1', v: 'first' } });
    const e = await expectError(things().add({ data: { code: 'dup-1', v: 'second' } }), /E11000/);
    expect(e.errCode).toBe(-502001);
    expect((await list(things().where({ code: 'dup-1' }))).map((d) => d.v)).toEqual(['first']);
  });

  it('refuses an update that would duplicate a key and leaves the document as it was', async () => {
    await things().add({ data: { code: 'dup-a' } });
    const { _id } = (await things().add({ data: { code: 'dup-b', v: 1 } })) as { _id: string };
    await expectError(
      things()
        .doc(_id)
        .update({ data: { code: 'dup-a', v: 2 } }),
      /E11000/,
    );
    expect(await list(things().where({ _id }))).toEqual([{ _id, code: 'dup-b', v: 1 }]);
  });

  it('lets exactly one of many concurrent inserts of the same key win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_v, i) => things().add({ data: { code: 'race-key', attempt: i } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await list(things().where({ code: 'race-key' }))).toHaveLength(1);
  });
});

describe('conditional updates under concurrency', () => {
  it('lets exactly as many decrements win as there is stock', async () => {
    const _ = db.command;
    await db
      .collection('stock')
      .doc('item')
      .set({ data: { left: 10 } });
    const attempts = await Promise.all(
      Array.from({ length: 60 }, () =>
        db
          .collection('stock')
          .where({ _id: 'item', left: _.gt(0) })
          .update({ data: { left: _.inc(-1) } }),
      ),
    );
    const won = attempts.filter((r) => (r as Any).stats.updated === 1).length;
    expect(won).toBe(10);
    expect(await list(db.collection('stock').where({ _id: 'item' }))).toEqual([{ _id: 'item', left: 0 }]);
  });
});

describe('transactions', () => {
  it('commits all of its writes together', async () => {
    await db
      .collection('stock')
      .doc('acct-a')
      .set({ data: { balance: 100 } });
    await db
      .collection('stock')
      .doc('acct-b')
      .set({ data: { balance: 0 } });
    const _ = db.command;
    await db.runTransaction(async (tx: Any) => {
      await tx
        .collection('stock')
        .doc('acct-a')
        .update({ data: { balance: _.inc(-30) } });
      await tx
        .collection('stock')
        .doc('acct-b')
        .update({ data: { balance: _.inc(30) } });
      await tx.collection('stock').add({ data: { _id: 'transfer-1', amount: 30 } });
    });
    const docs = await list(db.collection('stock').where({ _id: _.in(['acct-a', 'acct-b', 'transfer-1']) }));
    expect(Object.fromEntries(docs.map((d) => [d._id, d.balance ?? d.amount]))).toEqual({
      'acct-a': 70,
      'acct-b': 30,
      'transfer-1': 30,
    });
  });

  it('leaves nothing behind when it aborts', async () => {
    await db
      .collection('stock')
      .doc('abort-a')
      .set({ data: { balance: 5 } });
    const _ = db.command;
    await expect(
      db.runTransaction(async (tx: Any) => {
        await tx
          .collection('stock')
          .doc('abort-a')
          .update({ data: { balance: _.inc(-5) } });
        await tx.collection('stock').add({ data: { _id: 'abort-new', x: 1 } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await list(db.collection('stock').where({ _id: _.in(['abort-a', 'abort-new']) }))).toEqual([
      { _id: 'abort-a', balance: 5 },
    ]);
    expect(cloud.engine.openTransactions()).toBe(0);
  });

  it('reads the snapshot at its start plus its own writes', async () => {
    await db
      .collection('stock')
      .doc('snap')
      .set({ data: { v: 1 } });
    const tx = await db.startTransaction();
    await db
      .collection('stock')
      .doc('snap')
      .update({ data: { v: 2 } }); // someone else, outside
    const seen = ((await tx.collection('stock').doc('snap').get()) as Any).data;
    expect(seen.v).toBe(1);
    await tx.collection('stock').add({ data: { _id: 'snap-own', v: 9 } });
    expect(((await tx.collection('stock').doc('snap-own').get()) as Any).data.v).toBe(9);
    await tx.rollback();
  });

  it('fails a write to a document someone else changed since it began', async () => {
    await db
      .collection('stock')
      .doc('conf')
      .set({ data: { v: 1 } });
    const tx = await db.startTransaction();
    await tx.collection('stock').doc('conf').get();
    await db
      .collection('stock')
      .doc('conf')
      .update({ data: { v: 2 } });
    await expectError(
      tx
        .collection('stock')
        .doc('conf')
        .update({ data: { v: 3 } }),
      /conflict/i,
    );
    expect(await list(db.collection('stock').where({ _id: 'conf' }))).toEqual([{ _id: 'conf', v: 2 }]);
  });

  it('surfaces a conflict from runTransaction (wx-server-sdk does not retry it) and keeps the other write', async () => {
    await db
      .collection('stock')
      .doc('retry')
      .set({ data: { v: 0 } });
    const _ = db.command;
    await expectError(
      db.runTransaction(async (tx: Any) => {
        await tx.collection('stock').doc('retry').get();
        await db
          .collection('stock')
          .doc('retry')
          .update({ data: { v: _.inc(10) } });
        await tx
          .collection('stock')
          .doc('retry')
          .update({ data: { v: _.inc(1) } });
      }, 3),
      /WriteConflict/,
    );
    expect(await list(db.collection('stock').where({ _id: 'retry' }))).toEqual([{ _id: 'retry', v: 10 }]);
    expect(cloud.engine.openTransactions()).toBe(0);
  });

  it('fails at commit when a document it updated was removed since it began, and writes nothing', async () => {
    await db
      .collection('stock')
      .doc('r1')
      .set({ data: { v: 1 } });
    const tx = await db.startTransaction();
    await tx.collection('stock').add({ data: { _id: 'r1-log', note: 'staged before r1' } });
    await tx
      .collection('stock')
      .doc('r1')
      .update({ data: { v: 2 } });
    await db.collection('stock').doc('r1').remove(); // someone else, outside
    await expectError(tx.commit(), /WriteConflict/);
    const _ = db.command;
    expect(await list(db.collection('stock').where({ _id: _.in(['r1', 'r1-log']) }))).toEqual([]);
    expect(cloud.engine.openTransactions()).toBe(0);
  });

  it('is not failed by an ordinary write that was rolled back', async () => {
    await things().add({ data: { _id: 'u-held', code: 'u-held-code' } });
    const tx = await db.startTransaction();
    // A batch insert that fails on the unique index: u3 was written, then rolled back with u4.
    await expectError(
      things().add({
        data: [
          { _id: 'u3', code: 'u3-code' },
          { _id: 'u4', code: 'u-held-code' },
        ],
      }),
      /E11000/,
    );
    expect(await list(things().where({ _id: db.command.in(['u3', 'u4']) }))).toEqual([]);
    await tx.collection('things').add({ data: { _id: 'u3', code: 'u3-code', by: 'tx' } });
    await tx.commit();
    expect(await list(things().where({ _id: 'u3' }))).toEqual([{ _id: 'u3', code: 'u3-code', by: 'tx' }]);
  });

  it('is gone when neither committed nor aborted within its time limit, in real time', async () => {
    await db
      .collection('stock')
      .doc('slow')
      .set({ data: { v: 1 } });
    // CloudBase's limit is 30 seconds; a short one here, and a real wait, since the limit is not on
    // the movable local clock (moving that one back must not keep a transaction alive).
    cloud.engine.transactionTtlMs = 300;
    try {
      const tx = await db.startTransaction();
      await tx
        .collection('stock')
        .doc('slow')
        .update({ data: { v: 2 } });
      await cloud.setClock('2020-01-01T00:00:00.000Z');
      await new Promise((r) => setTimeout(r, 500));
      await expectError(tx.commit(), /has expired or was never started/);
    } finally {
      cloud.engine.transactionTtlMs = TRANSACTION_TTL_MS;
      await cloud.setClock(null);
    }
    expect(await list(db.collection('stock').where({ _id: 'slow' }))).toEqual([{ _id: 'slow', v: 1 }]);
  });

  it('keeps running when the local clock moves forward past its time limit', async () => {
    await db
      .collection('stock')
      .doc('clocked')
      .set({ data: { v: 1 } });
    const tx = await db.startTransaction();
    await tx
      .collection('stock')
      .doc('clocked')
      .update({ data: { v: 2 } });
    await cloud.setClock(new Date(Date.now() + 3600_000).toISOString());
    try {
      await tx.commit();
    } finally {
      await cloud.setClock(null);
    }
    expect(await list(db.collection('stock').where({ _id: 'clocked' }))).toEqual([{ _id: 'clocked', v: 2 }]);
  });
});
