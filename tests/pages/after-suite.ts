/**
 * The after-suite check of the page suite: once every page test file has run (all workers done), the
 * recompute check (`npm run stats:check`: every figure recomputed from the raw records) runs over the
 * page tests' shared local cloud, where ~30 files have driven the real functions. global-teardown.ts
 * runs it while the cloud is still up, reading its engine in jest's main process (where global-setup
 * started the cloud; engine-db.ts), and leaves the verdict on that process's global; jest's
 * testResultsProcessor (after-suite-results.js, jest.config.js) adds it to the run's results as one
 * test, passed or failed, so it counts in jest's JSON report and in its exit code like any other test.
 */
import path from 'node:path';
import type { Engine } from '../../localcloud/db/engine';
import { checkFigures, describeDiffs } from '../../scripts/lib/stats';
import { engineDb } from '../helpers/engine-db';

/** Where the teardown leaves the verdict for the results processor (both run in jest's main process). */
export const VERDICT_KEY = '__wmAfterSuiteVerdict';

export const AFTER_SUITE_TITLE = 'after the whole page suite, every kept figure agrees with the recompute';

/** One test's result, in the shape jest's results processor adds (a TestResult and its assertion). */
export interface AfterSuiteVerdict {
  testFilePath: string;
  displayName: string;
  title: string;
  passed: boolean;
  /** What a developer reads: the summary line, or every difference (at most 50) or the error. */
  message: string;
  start: number;
  end: number;
}

/** Runs the recompute check over a local cloud's engine; a check that cannot run is a failure too. */
export async function afterSuiteVerdict(engine: Engine): Promise<AfterSuiteVerdict> {
  const start = Date.now();
  let passed = false;
  let message: string;
  try {
    const { book, diffs } = await checkFigures(engineDb(engine));
    passed = diffs.length === 0;
    message = [
      ...describeDiffs(diffs),
      `${book.docs.size} figure documents recomputed, ${diffs.length} difference(s)`,
    ].join('\n');
  } catch (e) {
    message = `the recompute check could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
  return {
    testFilePath: path.join(__dirname, 'global-teardown.ts'),
    displayName: 'pages',
    title: AFTER_SUITE_TITLE,
    passed,
    message,
    start,
    end: Date.now(),
  };
}

/** Leaves the verdict for the results processor and says it on stderr (stdout may carry jest's JSON). */
export function leaveVerdict(v: AfterSuiteVerdict): void {
  Object.assign(globalThis, { [VERDICT_KEY]: v });
  const head = v.passed ? 'after-suite check passed' : 'AFTER-SUITE CHECK FAILED';
  process.stderr.write(`\n${head} (${v.end - v.start} ms): ${v.title}\n${v.message}\n`);
}
