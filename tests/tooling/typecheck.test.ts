/**
 * Strict TypeScript for all three parts: the mini-program (with the contract), and everything on Node
 * (cloud functions, local cloud, scripts, tests). A type error fails here with its file and line.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../scripts/lib/project';

const run = promisify(execFile);
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

async function typecheck(project: string): Promise<string> {
  try {
    await run(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

describe('type-check', () => {
  it.each(['tsconfig.json', 'tsconfig.node.json'])(
    '%s has no type errors',
    async (project) => {
      expect(await typecheck(project)).toBe('');
    },
    120_000,
  );
});
