/**
 * Malformed requests to the tcb API get CloudBase-shaped errors and change nothing.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  cloud.engine.applyDefinitions([{ name: 'things', indexes: [{ name: 'code', keys: { code: 1 }, unique: true }] }]);
  cloud.engine.insert('things', [{ _id: 'keep', code: 'k', v: 1 }]);
});

afterAll(async () => {
  await cloud.close();
});

const admin = (body: unknown) => cloud.post('/admin', typeof body === 'string' ? body : JSON.stringify(body));
const snapshot = () => JSON.stringify(cloud.engine.find('things', { query: {} }));

describe('malformed tcb requests', () => {
  const cases: [string, unknown, string][] = [
    ['a body that is not JSON', '{oops', 'INVALID_PARAM'],
    ['a JSON array', '[1,2]', 'INVALID_PARAM'],
    ['no action', { collectionName: 'things' }, 'INVALID_PARAM'],
    ['an unknown action', { action: 'database.dropEverything', collectionName: 'things' }, 'INVALID_ACTION'],
    ['no collection name', { action: 'database.getDocument', query: '{}' }, 'INVALID_PARAM'],
    [
      'a query that is not EJSON',
      { action: 'database.getDocument', collectionName: 'things', query: '{"a":' },
      'INVALID_PARAM',
    ],
    [
      'an unknown query operator',
      { action: 'database.getDocument', collectionName: 'things', query: '{"v":{"$nope":1}}' },
      'DATABASE_INVALID_OPERRATOR',
    ],
    [
      'a script in a query',
      { action: 'database.getDocument', collectionName: 'things', query: '{"$where":"this.v > 0"}' },
      'DATABASE_INVALID_OPERRATOR',
    ],
    [
      'a negative offset',
      { action: 'database.getDocument', collectionName: 'things', query: '{}', offset: -1 },
      'INVALID_PARAM',
    ],
    [
      'an update without operators',
      {
        action: 'database.modifyDocument',
        collectionName: 'things',
        query: '{}',
        data: '{"v":2}',
        multi: true,
        merge: true,
      },
      'DATABASE_INVALID_OPERRATOR',
    ],
    [
      'an update of _id',
      {
        action: 'database.modifyDocument',
        collectionName: 'things',
        query: '{"_id":"keep"}',
        data: '{"$set":{"_id":"x"}}',
        merge: true,
      },
      'DATABASE_REQUEST_FAILED',
    ],
    [
      'a field name starting with $',
      { action: 'database.insertDocument', collectionName: 'things', data: ['{"$bad":1}'] },
      'DATABASE_REQUEST_FAILED',
    ],
    [
      'a duplicate of a unique key',
      { action: 'database.insertDocument', collectionName: 'things', data: ['{"code":"k"}'] },
      'DATABASE_REQUEST_FAILED',
    ],
    [
      'a missing collection',
      { action: 'database.insertDocument', collectionName: 'ghosts', data: ['{"a":1}'] },
      'DATABASE_COLLECTION_NOT_EXIST',
    ],
    [
      'a transaction that does not exist',
      { action: 'database.commitTransaction', transactionId: 'tx-nope' },
      'DATABASE_TRANSACTION_FAIL',
    ],
    [
      'an aggregation stage that is not a stage',
      {
        action: 'database.aggregateDocuments',
        collectionName: 'things',
        stages: [{ stageKey: 'match', stageValue: '{}' }],
      },
      'INVALID_PARAM',
    ],
    [
      'a $geoNear stage without a distanceField',
      {
        action: 'database.aggregateDocuments',
        collectionName: 'things',
        stages: [{ stageKey: '$geoNear', stageValue: '{}' }],
      },
      'INVALID_PARAM',
    ],
  ];

  it.each(cases)('answers %s with %s and changes nothing', async (_what, body, code) => {
    const before = snapshot();
    const r = await admin(body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ code, message: expect.any(String), requestId: expect.any(String) });
    expect(snapshot()).toBe(before);
  });
});

describe('well-formed tcb requests', () => {
  it('creates { a: { b: 1 } } when an upsert matches nothing on a dotted query key', async () => {
    const r = await admin({
      action: 'database.modifyDocument',
      collectionName: 'things',
      query: '{"a.b":1,"code":"dotted"}',
      data: '{"$set":{"v":2}}',
      upsert: true,
      merge: true,
    });
    const id = (r.json as { data: { upsert_id: string } }).data.upsert_id;
    expect(cloud.engine.find('things', { query: { _id: id } })).toEqual([
      { _id: id, a: { b: 1 }, code: 'dotted', v: 2 },
    ]);
    expect(cloud.engine.find('things', { query: { 'a.b': 1 } })).toHaveLength(1);
  });

  it('says an unknown transaction has expired or was never started, not that something does not exist', async () => {
    const r = await admin({ action: 'database.commitTransaction', transactionId: 'tx-nope' });
    const { code, message } = r.json as { code: string; message: string };
    expect(code).toBe('DATABASE_TRANSACTION_FAIL');
    expect(message).toBe('transaction tx-nope has expired or was never started');
    // cloudfunctions/shared/runtime/transaction.ts takes this pattern for a missing document.
    expect(message).not.toMatch(/does not exist|not exist/i);
  });
});
