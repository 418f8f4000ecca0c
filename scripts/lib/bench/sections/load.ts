/**
 * load: how long the demo data takes to load (seedDemo into a fresh engine, and its parts), and how
 * long `npm start` takes to be ready — on a fresh data folder (build, start, seed) and again on the
 * same folder (start with the data kept).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../../../localcloud/db/engine';
import { loadDefinitions } from '../../../../localcloud/server';
import { seedDemo } from '../../../../localcloud/seed';
import { generateNetwork } from '../../../../localcloud/seed/network';
import { seedPeople } from '../../../../localcloud/seed/people';
import { seedOrders } from '../../../../localcloud/seed/orders';
import { ROOT } from '../../project';
import { timeRow, type Row, type Section } from '../report';
import type { Options } from './options';

function freshEngine(): { engine: Engine; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-seed-'));
  const engine = new Engine(path.join(dir, 'db'));
  engine.applyDefinitions(loadDefinitions(ROOT));
  return { engine, dir };
}

interface Started {
  wallMs: number;
  /** What main.ts itself prints: "ready in N ms" (from its first line to listening and seeded). */
  selfMs: number;
  output: string;
}

/** Spawns the command in its own process group; resolves when it prints "ready in N ms", then stops it. */
function startOnce(cmd: string, args: string[], dataDir: string, timeoutMs: number): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`not ready in ${timeoutMs} ms:\n${out}`)));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /ready in (\d+) ms/.exec(out);
      if (m) {
        const wallMs = performance.now() - t0;
        clearTimeout(timer);
        void stop().then(() => resolve({ wallMs, selfMs: Number(m[1]), output: out }));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      if (!/ready in \d+ ms/.test(out)) {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before ready:\n${out}`));
      }
    });
  });
}

export async function loadSection(opts: Options): Promise<Section> {
  const repeats = opts.quick ? 1 : 5;
  const rows: Row[] = [];
  const setup: string[] = [];

  // seedDemo as main.ts calls it, into a fresh engine each time.
  const seedMs: number[] = [];
  let counts: Record<string, number> = {};
  for (let i = 0; i < repeats; i++) {
    const { engine, dir } = freshEngine();
    const t0 = performance.now();
    counts = seedDemo(engine, new Date()).counts;
    seedMs.push(performance.now() - t0);
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  setup.push(
    `demo data: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(', ')}`,
  );
  rows.push(timeRow('seedDemo (all demo data)', seedMs));

  // Its parts, in the same order.
  const parts: Record<string, number[]> = { network: [], people: [], orders: [] };
  for (let i = 0; i < repeats; i++) {
    const { engine, dir } = freshEngine();
    const now = new Date();
    let t = performance.now();
    const network = generateNetwork(now);
    engine.insert('orgs', network as unknown as Record<string, unknown>[]);
    parts.network.push(performance.now() - t);
    t = performance.now();
    seedPeople(engine, network, now);
    parts.people.push(performance.now() - t);
    t = performance.now();
    seedOrders(engine, network, now);
    parts.orders.push(performance.now() - t);
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  rows.push(timeRow('  of which: network (5,194 points)', parts.network));
  rows.push(timeRow('  of which: people', parts.people));
  rows.push(timeRow('  of which: orders', parts.orders));

  // npm start (the quick run skips the build step: it starts localcloud/main.ts as npm start does after it).
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const [cmd, args, label] = opts.quick
    ? [process.execPath, [tsx, path.join(ROOT, 'localcloud', 'main.ts')], 'tsx localcloud/main.ts']
    : ['npm', ['start', '--silent'], 'npm start'];
  const first: Started[] = [];
  const again: Started[] = [];
  const starts = opts.quick ? 1 : 3;
  for (let i = 0; i < starts; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-start-'));
    try {
      first.push(await startOnce(cmd, args, dataDir, 180_000));
      again.push(await startOnce(cmd, args, dataDir, 180_000));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (!first.every((s) => /demo data loaded/.test(s.output))) throw new Error('the first start did not load the demo');
  if (!again.every((s) => /existing data kept/.test(s.output))) throw new Error('a restart reloaded the demo');
  rows.push(
    timeRow(
      `${label}, fresh data folder`,
      first.map((s) => s.wallMs),
      `spawn to "ready"${opts.quick ? '' : ' (build, start, load the demo)'}; main.ts's own "ready in": ${first
        .map((s) => s.selfMs)
        .join(', ')} ms`,
    ),
  );
  rows.push(
    timeRow(
      `${label}, data kept (restart)`,
      again.map((s) => s.wallMs),
      `main.ts's own "ready in": ${again.map((s) => s.selfMs).join(', ')} ms`,
    ),
  );
  return { name: 'load', title: 'demo data and start-up', setup, rows, notes: [] };
}
