/**
 * `npm run posters -- <station or institute id> [--out file.pdf]` writes the practice-point posters of a
 * station (or of every station of an institute) as one PDF, one A4 poster a point, ready to print.
 * Talks to the local cloud or, with TCB_ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY set,
 * to a real environment (the codes come from wxacode.getUnlimited there).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ORG_CODE } from '../cloudfunctions/shared/org/domain/model';
import { connectDatabase, describeTarget, targetFromEnv, sdkErrorText } from './lib/org-target';
import { pointsUnder, posterSheet, type OrgDb } from './lib/posters';
import { wxacodeOn } from './lib/wxacode';

const USAGE = 'usage: npm run posters -- <station or institute id> [--out file.pdf]';

async function main(argv: string[]): Promise<number> {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  const [id] = argv.filter((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1));
  if (!id || !ORG_CODE.test(id) || (outAt >= 0 && !out)) {
    console.error(USAGE);
    return 2;
  }
  const target = targetFromEnv();
  if (!target) return 2;
  console.log(`target: ${describeTarget(target)}`);
  const t0 = Date.now();
  const { root, points } = await pointsUnder(connectDatabase<OrgDb>(target), id);
  if (points.length === 0) {
    console.error(`${root.name}（${id}）下面还没有实践点，没有海报可印。`);
    return 1;
  }
  const pdf = await posterSheet(`${root.name} 实践点海报`, points, wxacodeOn(target));
  const file = path.resolve(out ?? `posters-${id}.pdf`);
  fs.writeFileSync(file, pdf);
  console.log(
    `${root.name}: ${points.length} posters, ${(pdf.length / 1024).toFixed(0)} KB, ${Date.now() - t0} ms → ${file}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(sdkErrorText(e));
    process.exit(1);
  },
);
