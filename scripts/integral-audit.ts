/**
 * `npm run integral:audit`: the auditor's check that every household's cached points balance equals
 * the sum of its ledger entries — the ledger is the truth, the cache only a shortcut. Reads both
 * collections in pages (keyed on _id, so the reading does not slow down with depth) and lists every
 * household where they differ; exits 1 if any does. Local cloud by default, a real environment with
 * TCB_ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY set.
 */
import { auditBalances } from '../cloudfunctions/shared/integral/domain/decide';
import { connectDatabase, describeTarget, targetFromEnv, sdkErrorText } from './lib/org-target';
import { eachDoc as each, type AdminDb as Db } from './lib/admin-db';

async function main(): Promise<number> {
  const target = targetFromEnv();
  if (!target) return 2;
  const db = connectDatabase<Db>(target);
  console.log(`target: ${describeTarget(target)}`);
  const sums = new Map<string, number>();
  const cached = new Map<string, number>();
  const entries = await each(db, 'integralLedger', (e) =>
    sums.set(String(e.householdId), (sums.get(String(e.householdId)) ?? 0) + Number(e.points)),
  );
  await each(db, 'integralBalances', (b) => cached.set(String(b._id), Number(b.balance)));
  const wrong = auditBalances(sums, cached);
  for (const w of wrong) console.log(`户号 ${w.householdId}: cached ${w.cached ?? '(none)'}, entries sum to ${w.sum}`);
  console.log(`${entries} entries, ${cached.size} balances, ${wrong.length} mismatch(es)`);
  return wrong.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(sdkErrorText(e));
    process.exit(1);
  },
);
