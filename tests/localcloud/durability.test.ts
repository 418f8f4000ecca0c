/**
 * Every write the local cloud acknowledged survives `kill -9` of the server and a restart on the same
 * data folder; the demo data is loaded into an empty folder only.
 */
import fs from 'node:fs';
import { killHard, startCloudProcess } from '../helpers/process';
import { tempDir } from '../helpers/localcloud';

const post = async (url: string, body: unknown, openid?: string) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
};

const countUsers = async (url: string, openids: string[]) => {
  const r = await post(`${url}/admin`, {
    action: 'database.calculateDocument',
    collectionName: 'users',
    query: JSON.stringify({ _id: { $in: openids } }),
    queryType: 'WHERE',
  });
  return (r.data as { total: number }).total;
};

describe('durability', () => {
  const dataDir = tempDir('wm-durable-');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged write through kill -9 and a restart', async () => {
    const first = await startCloudProcess(dataDir);
    expect(first.output()).toContain('demo data loaded');
    const openids = Array.from({ length: 40 }, (_v, i) => `durable-${i}`);
    // Acknowledged writes of two kinds: functions through the gateway, and direct tcb inserts.
    const answers = await Promise.all(openids.map((o) => post(`${first.url}/fn/user`, { action: 'login' }, o)));
    expect(answers.every((a) => a.ok === true)).toBe(true);
    const insert = await post(`${first.url}/admin`, {
      action: 'database.insertDocument',
      collectionName: 'users',
      data: [
        JSON.stringify({
          _id: 'durable-direct',
          openid: 'durable-direct',
          roles: [],
          at: { $date: '2026-01-01T00:00:00Z' },
        }),
      ],
    });
    expect(insert.data).toEqual({ insertedIds: ['durable-direct'] });
    await killHard(first);

    const second = await startCloudProcess(dataDir);
    try {
      expect(second.output()).toContain('existing data kept');
      expect(await countUsers(second.url, [...openids, 'durable-direct'])).toBe(41);
      const got = await post(`${second.url}/admin`, {
        action: 'database.getDocument',
        collectionName: 'users',
        query: JSON.stringify({ _id: 'durable-direct' }),
        queryType: 'DOC',
      });
      expect((got.data as { list: string[] }).list[0]).toContain('"$date"');
    } finally {
      await killHard(second);
    }
  }, 60_000);
});
