/**
 * surge: 500 villagers opening the mini-program at the same moment (user.login, a cheap write) on a local
 * cloud under the base tier's quotas (LOCALCLOUD_QUOTA=base: 30 database operations a second, 20
 * concurrent requests per function). Who gets in at once, who is told "busy, try again", and how long
 * it takes until everyone is in when the busy ones try again a second later, as a person tapping
 * "再试一次" would.
 */
import { BenchCloud } from '../cloud';
import { timeRow, type Row, type Section } from '../report';
import { ACTIVITY_HEAD, fmt, secs, signedUpActivity } from './common';
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

type ScanOutcome = 'ok' | 'busy' | 'other';

async function scan(
  bench: BenchCloud,
  openid: string,
  scene: string,
  location: { lat: number; lng: number },
  scannedAt?: string,
): Promise<{ outcome: ScanOutcome; code?: string }> {
  const res = await fetch(`${bench.cloud.url}/fn/activity`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify({ action: 'scan', scene, location, ...(scannedAt ? { scannedAt } : {}) }),
  });
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: { code?: string }; errCode?: number };
  if (res.status === 200 && body.ok) return { outcome: 'ok' };
  // What miniprogram/services/transport.ts turns into UNAVAILABLE, which services/activity.ts retries.
  if ((res.status === 200 && body.error?.code === 'UNAVAILABLE') || (res.status === 503 && body.errCode === -501004))
    return { outcome: 'busy' };
  return { outcome: 'other', code: body.error?.code ?? String(res.status) };
}

/** The client's policy (miniprogram/services/activity.ts scanCode): at once, then after 0.4 s and 1.2 s. */
const BACKOFF_MS = [400, 1200];
/** A scan still busy after the backoff is kept on the phone and sent again when the app next can. */
const KEPT_RETRY_MS = 5_000;

/**
 * #8: 500 volunteers scan in within one minute (one every 120 ms) at one activity, under the base
 * tier's quotas, each phone following the mini-program's retry policy. Who was recorded at once, who
 * after backing off, who was kept and sent later, and that nobody is recorded twice.
 */
async function scanSurge(opts: Options): Promise<{ rows: Row[]; notes: string[] }> {
  const people = opts.quick ? 100 : 500;
  const MIN = 60_000;
  const before = process.env.LOCALCLOUD_QUOTA;
  process.env.LOCALCLOUD_QUOTA = 'base';
  let bench: BenchCloud;
  try {
    bench = await BenchCloud.start({ demo: true });
  } finally {
    if (before === undefined) delete process.env.LOCALCLOUD_QUOTA;
    else process.env.LOCALCLOUD_QUOTA = before;
  }
  try {
    const { id, start, vols, here } = await signedUpActivity(bench, people, 0x5c4b);
    const head = ACTIVITY_HEAD;
    await bench.setClock(new Date(start + 2 * MIN).toISOString());
    // The station head's phone shows the current code, renewed as it rotates: scans read the latest.
    const codeNow = async () => (await bench.call<{ scene: string }>('activity', { action: 'code', id }, head)).scene;
    let scene = await codeNow();
    // The head's phone renews its code as it rotates, and asks again at once when the cloud is busy.
    const renewNow = (): Promise<void> =>
      codeNow().then(
        (c) => void (scene = c),
        () => new Promise<void>((r) => setTimeout(r, 500)).then(renewNow),
      );
    const renew = setInterval(() => void renewNow(), 15_000);
    await new Promise((r) => setTimeout(r, 1100));

    const stats = { atOnce: 0, afterBackoff: 0, kept: 0, keptThenIn: 0, other: 0, requests: 0, busyAnswers: 0 };
    const others = new Set<string>();
    const spacing = 60_000 / people;
    const one = async (i: number) => {
      await new Promise((r) => setTimeout(r, i * spacing));
      // As services/activity.ts does: the code the phone scanned and when, sent with every retry and
      // kept with the scan when the cloud stays busy, so a late send still proves its slot.
      const scanned = scene;
      const scannedAt = new Date(bench.cloud.clock.now()).toISOString();
      const send = async () => {
        stats.requests += 1;
        const r = await scan(bench, vols[i].openid, scanned, here, scannedAt);
        if (r.outcome === 'busy') stats.busyAnswers += 1;
        if (r.outcome === 'other') others.add(r.code ?? '?');
        return r.outcome;
      };
      let r = await send();
      if (r === 'ok') return void (stats.atOnce += 1);
      for (const ms of BACKOFF_MS) {
        if (r !== 'busy') break;
        await new Promise((w) => setTimeout(w, ms));
        r = await send();
      }
      if (r === 'ok') return void (stats.afterBackoff += 1);
      if (r !== 'busy') return void (stats.other += 1);
      stats.kept += 1;
      for (let k = 0; k < 20 && r === 'busy'; k++) {
        await new Promise((w) => setTimeout(w, KEPT_RETRY_MS));
        r = await send();
      }
      if (r === 'ok') stats.keptThenIn += 1;
      else stats.other += 1;
    };
    const t0 = performance.now();
    const cost = await bench
      .measure(() => Promise.all(vols.map((_v, i) => one(i))))
      .finally(() => clearInterval(renew));
    const took = performance.now() - t0;
    const ops = Object.values(cost.ops).reduce((a, b) => a + b, 0);
    const checkins = bench.engine.find('checkins', { query: { activityId: id }, limit: 10_000 }) as unknown as {
      openid: string;
    }[];
    const distinct = new Set(checkins.map((c) => c.openid)).size;
    const q = bench.cloud.quota?.counts;
    return {
      rows: [],
      notes: [
        `#8, ${fmt(people)} volunteers scan in within one minute (one every ${Math.round(spacing)} ms) under LOCALCLOUD_QUOTA=base, each phone following the mini-program's policy (services/activity.ts: retry a busy answer after 0.4 s and 1.2 s, then keep the scan and send it again later, here every ${KEPT_RETRY_MS / 1000} s): ` +
          `${fmt(stats.atOnce)} recorded at once, ${fmt(stats.afterBackoff)} after backing off, ${fmt(stats.kept)} kept on the phone (${fmt(stats.keptThenIn)} of them recorded when sent again), ${fmt(stats.other)} other answers${others.size ? ` (${[...others].join(', ')})` : ''}; ` +
          `all done in ${secs(took)}`,
        `#8: ${fmt(checkins.length)} check-ins recorded for ${fmt(people)} people, ${fmt(distinct)} distinct (${checkins.length === distinct ? 'none twice' : 'SOME TWICE'}); ` +
          `${fmt(stats.requests)} scan requests (${fmt(stats.busyAnswers)} answered busy), ${fmt(ops)} database operations in all, ${(ops / people).toFixed(1)} per volunteer checked in; ` +
          `quota refusals: ${fmt(q?.refusedFunctionCalls ?? 0)} function calls, ${fmt(q?.refusedRate ?? 0)} database operations`,
      ],
    };
  } finally {
    await bench.close();
  }
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
    const scans = await scanSurge(opts);
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
      title: `${fmt(n)} simultaneous logins, and ${fmt(n)} scans in a minute, under the base tier's quotas`,
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
        ...scans.notes,
      ],
    };
  } finally {
    await bench.close();
  }
}
