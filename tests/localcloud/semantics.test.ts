/**
 * Where the local cloud used to differ from CloudBase (issue 12), driven through the real wx-server-sdk:
 * each case is CloudBase's documented behaviour (MongoDB's, which CloudBase documents its operators by),
 * or, where marked "reported", what CloudBase is reported to do (README, "Where the local cloud differs").
 */
import { sdkFor, startTestCloud, type TestCloud } from '../helpers/localcloud';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let cloud: TestCloud;
let db: Any;

beforeAll(async () => {
  // As inside a function: the SDK's transactions log an error without it.
  process.env.SCF_NAMESPACE ||= 'local-test';
  cloud = await startTestCloud();
  cloud.engine.applyDefinitions([{ name: 'sem', indexes: [{ name: 'code', keys: { code: 1 }, unique: true }] }]);
  db = sdkFor(cloud).database();
  await db.collection('sem').add({
    data: [
      { _id: 'plain', code: 'p', arr: [5, 'x'], s: 'hello world', at: new Date('2024-01-07T12:00:00Z') },
      { _id: 'objs', code: 'o', arr: [{ a: 1 }, { a: 2 }], s: '文明实践云', at: new Date('2024-01-06T12:00:00Z') },
      { _id: 'mixed', code: 'm', arr: [7, { a: 1 }], s: 'abc', at: new Date('2024-01-01T00:00:00Z') },
    ],
  });
});

afterAll(async () => {
  await cloud.close();
});

const sem = () => db.collection('sem');
const ids = async (q: Any): Promise<string[]> => ((await q.get()).data as Any[]).map((d) => d._id).sort();

async function errorOf(p: Promise<unknown>): Promise<Any> {
  try {
    await p;
  } catch (e) {
    return e as Any;
  }
  throw new Error('expected an error');
}

describe('query operators', () => {
  it('$elemMatch with a field condition looks only at embedded documents, never plain elements', async () => {
    const _ = db.command;
    // A plain 5 has no field a, so {a: {$ne: 1}} would hold for it: MongoDB does not look at it.
    expect(await ids(sem().where({ arr: _.elemMatch({ a: _.neq(1) }) }))).toEqual(['objs']);
    // An operator-only condition applies to plain elements.
    expect(await ids(sem().where({ arr: _.elemMatch(_.gt(6)) }))).toEqual(['mixed']);
  });

  it('$jsonSchema selects the documents that satisfy the schema', async () => {
    const _ = db.command;
    const schema = { required: ['arr'], properties: { s: { bsonType: 'string', maxLength: 5 } } };
    expect(await ids(sem().where(_.jsonSchema(schema)))).toEqual(['mixed', 'objs']);
    const bad = await errorOf(
      sem()
        .where(_.jsonSchema({ bogusKeyword: 1 }))
        .get(),
    );
    expect(bad.errCode).toBe(-502002);
  });
});

describe('aggregation expressions', () => {
  const one = async (id: string, expr: unknown): Promise<unknown> => {
    const r = await sem().aggregate().match({ _id: id }).project({ _id: 0, v: expr }).end();
    return r.list[0].v;
  };

  it('$indexOfCP answers code point positions, -1 when absent', async () => {
    const $ = db.command.aggregate;
    expect(await one('objs', $.indexOfCP(['$s', '实践']))).toBe(2);
    expect(await one('plain', $.indexOfCP(['$s', 'o', 5]))).toBe(7);
    expect(await one('plain', $.indexOfCP(['$s', 'zzz']))).toBe(-1);
  });

  it('$substr and $substrBytes with a negative length answer the rest of the string', async () => {
    const $ = db.command.aggregate;
    expect(await one('plain', $.substr(['$s', 6, -1]))).toBe('world');
    expect(await one('plain', $.substrBytes(['$s', 0, -1]))).toBe('hello world');
    expect(await one('objs', $.substrBytes(['$s', 3, -1]))).toBe('明实践云');
    expect(await one('plain', $.substrBytes(['$s', 0, 5]))).toBe('hello');
  });

  it('$week counts Sunday-based weeks from 0 (days before the first Sunday are week 0)', async () => {
    const $ = db.command.aggregate;
    expect(await one('mixed', $.week('$at'))).toBe(0); // Monday 1 January 2024
    expect(await one('objs', $.week('$at'))).toBe(0); // Saturday 6 January
    expect(await one('plain', $.week('$at'))).toBe(1); // Sunday 7 January
  });
});

describe('writes', () => {
  it('counts a matched document as updated even when the write leaves it as it was (reported)', async () => {
    const same = await sem()
      .doc('plain')
      .update({ data: { s: 'hello world' } });
    expect(same.stats.updated).toBe(1);
    const where = await sem()
      .where({ code: db.command.in(['p', 'o']) })
      .update({ data: { flag: true } });
    expect(where.stats.updated).toBe(2);
    const again = await sem()
      .where({ code: db.command.in(['p', 'o']) })
      .update({ data: { flag: true } });
    expect(again.stats.updated).toBe(2);
    const none = await sem()
      .where({ code: 'nobody' })
      .update({ data: { flag: true } });
    expect(none.stats.updated).toBe(0);
  });

  it('refuses a field name starting with $ with the database error -502001 and stores nothing (reported)', async () => {
    const e = await errorOf(sem().add({ data: { code: 'dollar', $bad: 1 } }));
    expect(e.errCode).toBe(-502001);
    expect(String(e.errMsg)).toMatch(/\$ prefixed field names/);
    expect(await ids(sem().where({ code: 'dollar' }))).toEqual([]);
  });
});

describe('transactions', () => {
  it('adds several documents in one call', async () => {
    await db.runTransaction(async (tx: Any) => {
      await tx.collection('sem').add({ data: [{ code: 't1' }, { code: 't2' }] });
      expect(
        (
          await sem()
            .where({ code: db.command.in(['t1', 't2']) })
            .count()
        ).total,
      ).toBe(0);
    });
    expect(
      (
        await sem()
          .where({ code: db.command.in(['t1', 't2']) })
          .count()
      ).total,
    ).toBe(2);
  });

  it('answers where(…).get() with its snapshot plus its own writes, and nothing of it is visible outside before commit', async () => {
    const _ = db.command;
    const tx = await db.startTransaction();
    await tx.collection('sem').add({ data: { _id: 'in-tx', code: 'tx-1', arr: [{ a: 9 }] } });
    await tx
      .collection('sem')
      .doc('objs')
      .update({ data: { arr: _.push([{ a: 9 }]) } });
    // A write outside after the transaction began is not in its snapshot.
    await sem().add({ data: { _id: 'outside', code: 'out-1', arr: [{ a: 9 }] } });
    const seen = await tx
      .collection('sem')
      .where({ arr: _.elemMatch({ a: 9 }) })
      .get();
    expect(seen.data.map((d: Any) => d._id).sort()).toEqual(['in-tx', 'objs']);
    expect(await ids(sem().where({ arr: _.elemMatch({ a: 9 }) }))).toEqual(['outside']);
    await tx.commit();
    expect(await ids(sem().where({ arr: _.elemMatch({ a: 9 }) }))).toEqual(['in-tx', 'objs', 'outside']);
  });

  it('conflicts with MongoDB’s WriteConflict text (reported) and changes nothing', async () => {
    const tx = await db.startTransaction();
    await tx.collection('sem').doc('mixed').get();
    await sem()
      .doc('mixed')
      .update({ data: { n: 1 } });
    const e = await errorOf(
      tx
        .collection('sem')
        .doc('mixed')
        .update({ data: { n: 2 } }),
    );
    expect(String(e.errMsg)).toMatch(/WriteConflict error: this operation conflicted with another operation/);
    expect((await sem().doc('mixed').get()).data.n).toBe(1);
  });
});
