/**
 * `npm run bench` end to end, small: `npx tsx scripts/bench.ts all --quick` completes and prints each
 * section with its table. Performance is reported by the benchmark, never asserted here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/project';

const SECTIONS = ['load', 'org', 'matching', 'hall', 'timer', 'checkin', 'integral', 'stats', 'export'];

describe('npm run bench', () => {
  let run: ReturnType<typeof spawnSync>;
  let out = '';

  beforeAll(() => {
    run = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(ROOT, 'scripts', 'bench.ts'),
        'all',
        '--quick',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
    );
    out = String(run.stdout);
  }, 250_000);

  it('completes (all --quick)', () => {
    expect({ status: run.status, signal: run.signal, stderr: run.status === 0 ? '' : String(run.stderr) }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
  });

  it('names the machine it ran on', () => {
    expect(out).toMatch(/machine: \d+ ×/);
  });

  it.each(SECTIONS)('prints the %s section with its table of median and p95', (name) => {
    const section = out.split(/\n(?=== )/).find((s) => s.startsWith(`== ${name}:`));
    expect(section).toBeDefined();
    // The timer needs the cron function; without it the section says it was skipped.
    if (name === 'timer' && !fs.existsSync(path.join(ROOT, 'cloudfunctions', 'cron', 'index.ts'))) {
      expect(section).toMatch(/skipped/);
      return;
    }
    expect(section).toMatch(/median\s+p95\s+round trips/);
    // At least one measured row: a name, a count and two times.
    expect(section).toMatch(/\s\d+\s+[\d,.]+ ms\s+[\d,.]+ ms/);
  });

  it('counts round trips for calls through the gateway', () => {
    const org = out.split(/\n(?=== )/).find((s) => s.startsWith('== org:'))!;
    const nearby = org.split('\n').find((l) => l.includes('org.nearby 1 km'))!;
    expect(nearby).toMatch(/ms\s+\d+/);
  });
});
