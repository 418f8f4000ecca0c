/**
 * `npm start`: the local cloud with demo data. PORT (default 3900), DATA_DIR (default .data/) and HOST
 * (default 127.0.0.1) move it.
 */
import path from 'node:path';
import { startLocalCloud } from './server';
import { isEmpty, seedDemo } from './seed';

async function main(): Promise<void> {
  const t0 = Date.now();
  const root = path.resolve(__dirname, '..');
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, '.data'));
  const port = Number(process.env.PORT ?? 3900);
  const host = process.env.HOST ?? '127.0.0.1';
  const cloud = await startLocalCloud({
    root,
    dataDir,
    port,
    host,
    env: process.env.LOCALCLOUD_ENV ?? 'local-dev',
    timers: process.env.LOCALCLOUD_TIMERS !== '0',
  });
  const fresh = isEmpty(cloud.engine);
  const seeded = fresh ? seedDemo(cloud.engine, new Date(cloud.clock.now())) : undefined;

  const lines = [
    '',
    '  文明实践云 · local cloud — a development stand-in for CloudBase, not for production',
    '',
    `  URL          ${cloud.url}`,
    `  gateway      POST ${cloud.url}/fn/<function>   (event as JSON body, caller in header x-wx-openid)`,
    `  data         ${dataDir}${seeded ? '  (demo data loaded)' : '  (existing data kept)'}`,
    `  functions    ${cloud.pool.list().join(', ')}`,
    `  timers       ${cloud.timers.map((t) => `${t.fn} (${t.config})`).join(', ') || 'none'}${cloud.timers.length ? '  — LOCALCLOUD_TIMERS=0 turns them off' : ''}`,
  ];
  if (seeded) {
    lines.push(
      `  demo data    ${Object.entries(seeded.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} (loaded in ${seeded.ms} ms)`,
    );
    lines.push("  demo identities (send as x-wx-openid, or pick one on the mini-program's 我的 page):");
    for (const i of seeded.identities) lines.push(`    ${i.openid.padEnd(24)} ${i.who}`);
  }
  lines.push('', `  ready in ${Date.now() - t0} ms`, '');
  console.log(lines.join('\n'));

  const stop = () => {
    void cloud.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
