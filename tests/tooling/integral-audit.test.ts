/**
 * `npm run integral:audit` against a local cloud: the demo's balances agree with their ledgers, and a
 * cached balance edited behind the ledger's back is found and named.
 */
import { runScript } from '../helpers/process';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

async function audit(): Promise<{ code: number; out: string }> {
  return runScript(cloud.url, 'integral-audit.ts');
}

describe('npm run integral:audit', () => {
  it('passes when every cached balance is the sum of its entries', async () => {
    const r = await audit();
    expect(r.out).toMatch(/\d+ entries, \d+ balances, 0 mismatch\(es\)/);
    expect(r.code).toBe(0);
  });

  it('names a household whose cached balance was changed without an entry, and fails', async () => {
    const [b] = cloud.engine.find('integralBalances', { query: { _id: '10000001' } });
    cloud.engine.update('integralBalances', {
      query: { _id: '10000001' },
      update: { $set: { balance: (b.balance as number) + 50 } },
      multi: false,
      upsert: false,
      merge: true,
    });
    const r = await audit();
    expect(r.out).toContain(
      `户号 10000001: cached ${(b.balance as number) + 50}, entries sum to ${b.balance as number}`,
    );
    expect(r.out).toContain('1 mismatch(es)');
    expect(r.code).toBe(1);
  });
});
