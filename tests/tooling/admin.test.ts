/**
 * `npm run admin`: how a new deployment gets its first center admin, run against a local cloud the
 * way a county IT person runs it against their environment.
 */
import type { Result } from '../../typings/errors';
import { runScript } from '../helpers/process';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

async function admin(...args: string[]): Promise<{ code: number; out: string }> {
  return runScript(cloud.url, 'admin.ts', args);
}

describe('npm run admin', () => {
  it('appoints the first center admin of a person who has opened the mini-program, once', async () => {
    await cloud.call('user', { action: 'login' }, 'county-it-boss');
    expect(await cloud.call<Result<unknown>>('user', { action: 'listPeople' }, 'county-it-boss')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const first = await admin('grant-center', 'county-it-boss');
    expect(first).toMatchObject({ code: 0, out: expect.stringContaining('is now a center admin') });
    const again = await admin('grant-center', 'county-it-boss');
    expect(again).toMatchObject({ code: 0, out: expect.stringContaining('already') });
    // The role works in the functions at once.
    expect(await cloud.call<Result<unknown>>('user', { action: 'listPeople' }, 'county-it-boss')).toMatchObject({
      ok: true,
    });
    expect((await admin('list')).out).toMatch(/county-it-boss[\s\S]*2 center admin/);
  }, 60_000);

  it('refuses someone who has never opened the mini-program, and a malformed command', async () => {
    expect(await admin('grant-center', 'never-seen')).toMatchObject({
      code: 1,
      out: expect.stringContaining('open the mini-program once'),
    });
    expect(await admin('grant-center', 'bad id')).toMatchObject({ code: 2, out: expect.stringContaining('usage') });
  }, 60_000);
});
