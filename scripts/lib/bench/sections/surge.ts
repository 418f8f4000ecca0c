/**
 * surge: 500 villagers opening the mini-program at the same moment (user.login, a cheap write) on a local
 * cloud under the base tier's quotas (LOCALCLOUD_QUOTA=base: 30 database operations a second, 20
 * concurrent requests per function). Who gets in at once, who is told "busy, try again", and how long
 * it takes until everyone is in when the busy ones try again a second later, as a person tapping
 * "再试一次" would.
 */
import { BenchCloud } from '../cloud';
import { timeRow, type Row, type Section } from '../report';
import { fmt, secs } from './common';
import type { Options } from './options';

type Outcome = 'ok' | 'busy-function' | 'busy-gateway' | 'other';

async function login(bench: BenchCloud, openid: string): Promise<{ outcome: Outcome; ms: number }> {
  const t = performance.now();
  const res = await fetch(`${bench.cloud.url}/fn/user`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify({ action: 'login' }),
  });
  const body = (await res.json()) as { ok?: boolean; error?: { code?: string }; errCode?: number };
  const ms = performance.now() - t;
  if (res.status === 200 && body.ok) return { outcome: 'ok', ms };
  if (res.status === 200 && body.error?.code === 'UNAVAILABLE') return { outcome: 'busy-function', ms };
  if (res.status === 503 && body.errCode === -501004) return { outcome: 'busy-gateway', ms };
  return { outcome: 'other', ms };
}

export async function surgeSection(opts: Options): Promise<Section> {
  const n = opts.quick ? 100 : 500;
  opts.log(`surge: starting a local cloud under LOCALCLOUD_QUOTA=base`);
  const before = process.env.LOCALCLOUD_QUOTA;
  process.env.LOCALCLOUD_QUOTA = 'base';
  let bench: BenchCloud;
  try {
    bench = await BenchCloud.start();
  } finally {
    if (before === undefined) delete process.env.LOCALCLOUD_QUOTA;
    else process.env.LOCALCLOUD_QUOTA = before;
  }
  try {
    await login(bench, 'surge-warm-up');
    await new Promise((r) => setTimeout(r, 1100));
    const openids = Array.from({ length: n }, (_v, i) => `surge-${String(i).padStart(4, '0')}`);
    const t0 = performance.now();
    const first = await Promise.all(openids.map((o) => login(bench, o)));
    const waveMs = performance.now() - t0;
    const count = (xs: { outcome: Outcome }[], o: Outcome) => xs.filter((x) => x.outcome === o).length;

    let waiting = openids.filter((_o, i) => first[i].outcome !== 'ok');
    let rounds = 0;
    while (waiting.length > 0 && rounds < 200) {
      rounds += 1;
      await new Promise((r) => setTimeout(r, 1000));
      const again = await Promise.all(waiting.map((o) => login(bench, o)));
      waiting = waiting.filter((_o, i) => again[i].outcome !== 'ok');
    }
    const drainMs = performance.now() - t0;
    const users = bench.engine.count('users', { _id: { $in: openids } });
    const q = bench.cloud.quota?.counts;
    const rows: Row[] = [
      timeRow(
        'answered with the profile',
        first.filter((f) => f.outcome === 'ok').map((f) => f.ms),
      ),
      timeRow(
        'told busy (503 -501004 or UNAVAILABLE)',
        first.filter((f) => f.outcome.startsWith('busy')).map((f) => f.ms),
      ),
    ];
    return {
      name: 'surge',
      title: `${fmt(n)} simultaneous logins under the base tier's quotas`,
      setup: [
        `${fmt(n)} new openids call user.login at once (one HTTP request each), after a warm-up call; LOCALCLOUD_QUOTA=base`,
      ],
      rows,
      notes: [
        `first wave (${secs(waveMs)}): ${count(first, 'ok')} profiles, ${count(first, 'busy-gateway')} refused by the gateway ` +
          `(function concurrency, 503 -501004), ${count(first, 'busy-function')} UNAVAILABLE from the function ` +
          `(a database request refused past its retries), ${count(first, 'other')} anything else (INTERNAL or lost)`,
        `everyone in after ${rounds} rounds of "try again a second later" (${secs(drainMs)} from the first request); ` +
          `user records: ${fmt(users)} for ${fmt(n)} people (none lost, none twice)`,
        `quota refusals over the run: ${fmt(q?.refusedFunctionCalls ?? 0)} function calls, ${fmt(q?.refusedRate ?? 0)} ` +
          `database operations (the runtime retried the reads among them), ${fmt(q?.refusedConnections ?? 0)} connections; ` +
          `${fmt(q?.admitted ?? 0)} database operations served`,
      ],
    };
  } finally {
    await bench.close();
  }
}
