/**
 * The page suite's after-suite check (tests/pages/after-suite.ts) fails a run the way CI counts: a jest
 * run with the page suite's own wiring (its global setup and teardown, jest.config.js's results
 * processor) over one fixture test that leaves a check-in uncounted and changes a kept figure behind
 * the records' back. The run exits 1; jest's JSON report holds the after-suite check as a failed test
 * naming that one figure (the uncounted check-in is no difference); .ci/run's line counts it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/localcloud';
import { ROOT } from '../../scripts/lib/project';
import { AFTER_SUITE_TITLE } from '../pages/after-suite';

jest.setTimeout(300_000);

interface Assertion {
  title: string;
  status: string;
  failureMessages: string[];
}
interface Report {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; assertionResults: Assertion[] }[];
}

async function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [file, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      maxBuffer: 1 << 24,
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

const dir = tempDir('wm-after-suite-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a figure changed behind the records’ back fails the run as one failed test in jest’s JSON report', async () => {
  const report = path.join(dir, 'report.json');
  const changed = path.join(dir, 'changed.json');
  const jest = await run(
    path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
    ['--config', 'tests/fixtures/after-suite/jest.config.js', '--json', `--outputFile=${report}`],
    { AFTER_SUITE_FIXTURE_OUT: changed },
  );
  expect(fs.existsSync(changed)).toBe(true);
  const { id, kept, recomputed } = JSON.parse(fs.readFileSync(changed, 'utf8')) as Record<string, unknown>;
  expect(jest.out).toContain('AFTER-SUITE CHECK FAILED');
  expect(jest.code).toBe(1);

  const r = JSON.parse(fs.readFileSync(report, 'utf8')) as Report;
  expect(r.success).toBe(false);
  expect([r.numPassedTests, r.numFailedTests]).toEqual([1, 1]);
  const after = r.testResults.flatMap((s) => s.assertionResults).find((a) => a.title === AFTER_SUITE_TITLE);
  expect(after?.status).toBe('failed');
  const message = after?.failureMessages.join('\n') ?? '';
  expect(message).toContain(`${String(id)} posted: kept ${String(kept)}, recomputed ${String(recomputed)}`);
  expect(message).toContain(' 1 difference(s)');

  const ci = await run(path.join(ROOT, '.ci', 'count.js'), [report]);
  expect(ci.out.trim()).toBe('1 passed, 1 failed');
});
