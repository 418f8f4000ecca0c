/** Runs `npm start`'s local cloud as a separate process, as a developer does, for crash tests. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/project';

export interface CloudProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  readyMs: number;
}

export function startCloudProcess(dataDir: string, timeoutMs = 20_000): Promise<CloudProcess> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'localcloud', 'main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local cloud not ready in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && /ready in \d+ ms/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, readyMs: Date.now() - t0 });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited with ${code}:\n${out}`));
    });
  });
}

export function killHard(p: CloudProcess): Promise<void> {
  return new Promise((resolve) => {
    p.child.removeAllListeners('exit');
    p.child.once('exit', () => {
      p.child.stdout?.destroy();
      p.child.stderr?.destroy();
      resolve();
    });
    p.child.kill('SIGKILL');
  });
}

/**
 * Runs `scripts/<script>` with tsx against the local cloud at `url`, with no CloudBase credentials (so
 * it can only reach that cloud), as a county IT person runs it: its exit code and everything it printed.
 */
export async function runScript(
  url: string,
  script: string,
  args: string[] = [],
): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    LOCALCLOUD_URL: url,
    TCB_ENV_ID: '',
    TENCENTCLOUD_SECRETID: '',
    TENCENTCLOUD_SECRETKEY: '',
  };
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  try {
    const r = await promisify(execFile)(process.execPath, [tsx, path.join('scripts', script), ...args], {
      cwd: ROOT,
      env,
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}
