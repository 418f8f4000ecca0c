/**
 * `npm run size`: what the mini-program's main package and each subpackage ship, against the budgets
 * in scripts/lib/miniprogram.ts. Exits 1 when a budget is exceeded. Run `npm run build` first so that
 * miniprogram/contract/ is counted.
 */
import { formatReport, measurePackages, overBudget } from './lib/miniprogram';

const report = measurePackages();
console.log(formatReport(report));
const over = overBudget(report);
if (over.length > 0) {
  console.error(`\nover budget:\n${over.map((o) => `  - ${o}`).join('\n')}`);
  process.exit(1);
}
