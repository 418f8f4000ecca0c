/**
 * `npm run stats:check [-- --rebuild]`: recomputes every figure of the command center from the raw
 * records (orders and their timelines, check-ins, hours, activities, the points ledger, volunteers) and
 * compares it with the kept figure documents, listing every counter that differs; exits 1 if any does.
 * `--rebuild` writes the recomputed documents instead (what an admin runs after a restore): the figures
 * and the active-volunteer markers are replaced, and the roll-ups of closed months dropped. Local cloud by default, a real environment with
 * TCB_ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY set.
 */
import { markDocs } from '../cloudfunctions/shared/stats/domain/records';
import { connectDatabase, describeTarget, targetFromEnv, sdkErrorText } from './lib/org-target';
import { checkFigures, describeDiffs, dropRollups, type StatsDb } from './lib/stats';

async function replace(db: StatsDb, coll: string, docs: Record<string, unknown>[]): Promise<void> {
  const r = await db
    .collection(coll)
    .where({ _id: db.command.exists(true) })
    .remove();
  if (r.code) throw new Error(`${r.code} ${r.message ?? ''}`);
  for (let i = 0; i < docs.length; i += 100) {
    const a = await db.collection(coll).add(docs.slice(i, i + 100));
    if (a.code) throw new Error(`${a.code} ${a.message ?? ''}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const target = targetFromEnv();
  if (!target) return 2;
  const db = connectDatabase<StatsDb>(target);
  console.log(`target: ${describeTarget(target)}`);
  const { counts, kept, book, diffs, readMs, computeMs } = await checkFigures(db);
  const what = Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  console.log(`read ${what} and ${kept} figure documents in ${readMs} ms; recomputed in ${computeMs} ms`);
  if (argv.includes('--rebuild')) {
    await replace(db, 'figures', [...book.docs.values()]);
    await replace(db, 'figureMarks', markDocs(book));
    await dropRollups(db);
    console.log(
      `rebuilt ${book.docs.size} figure documents and ${book.marks.size} active markers; dropped the roll-ups of closed months`,
    );
    return 0;
  }
  for (const line of describeDiffs(diffs)) console.log(line);
  console.log(`${book.docs.size} figure documents recomputed, ${diffs.length} difference(s)`);
  return diffs.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(sdkErrorText(e));
    process.exit(1);
  },
);
