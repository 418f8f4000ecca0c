/**
 * jest's testResultsProcessor (jest.config.js): adds the page suite's after-suite verdict, left by
 * tests/pages/global-teardown.ts (see after-suite.ts), to the run's results as one more test, so it
 * counts in the summary numbers of jest's JSON report (numPassedTests, numFailedTests) and, when it
 * failed, makes the run fail (exit code 1). Runs after the global teardowns and before the JSON report is
 * written. Plain JavaScript: jest loads this file without transforming it.
 */
const VERDICT_KEY = '__wmAfterSuiteVerdict';

module.exports = function afterSuiteResults(results) {
  const v = globalThis[VERDICT_KEY];
  if (!v) return results;
  delete globalThis[VERDICT_KEY];
  const status = v.passed ? 'passed' : 'failed';
  const runtime = v.end - v.start;
  const failureMessage = v.passed ? null : `● ${v.title}\n\n${v.message}`;
  results.testResults.push({
    testFilePath: v.testFilePath,
    displayName: { name: v.displayName, color: 'white' },
    failureMessage,
    leaks: false,
    numFailingTests: v.passed ? 0 : 1,
    numPassingTests: v.passed ? 1 : 0,
    numPendingTests: 0,
    numTodoTests: 0,
    openHandles: [],
    perfStats: { start: v.start, end: v.end, runtime, slow: false },
    skipped: false,
    snapshot: { added: 0, fileDeleted: false, matched: 0, unchecked: 0, uncheckedKeys: [], unmatched: 0, updated: 0 },
    console: undefined,
    testResults: [
      {
        ancestorTitles: [],
        duration: runtime,
        failureDetails: [],
        failureMessages: v.passed ? [] : [v.message],
        fullName: v.title,
        invocations: 1,
        location: null,
        numPassingAsserts: v.passed ? 1 : 0,
        retryReasons: [],
        status,
        title: v.title,
      },
    ],
  });
  results.numTotalTests += 1;
  results.numTotalTestSuites += 1;
  if (v.passed) {
    results.numPassedTests += 1;
    results.numPassedTestSuites += 1;
  } else {
    results.numFailedTests += 1;
    results.numFailedTestSuites += 1;
    results.success = false;
  }
  return results;
};
