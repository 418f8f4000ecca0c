/**
 * `npm run admin`: how a new deployment gets its first center admin, run against a local cloud the
 * way a county IT person runs it against their environment.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Result } from '../../typings/errors';
import { ROOT } from '../../scripts/lib/project';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

const run = promisify(execFile);
let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

async function admin(...args: string[]): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    LOCALCLOUD_URL: cloud.url,
    TCB_ENV_ID: '',
    TENCENTCLOUD_SECRETID: '',
    TENCENTCLOUD_SECRETKEY: '',
  };
  try {
    const r = await run(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/admin.ts', ...args],
      { cwd: ROOT, env },
    );
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
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
