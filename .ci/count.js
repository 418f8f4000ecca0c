/**
 * The plain line .ci/run ends with, "N passed, N failed", from jest's JSON report (the path given):
 * the failed tests, the after-suite check among them (tests/pages/after-suite.ts), plus the test files
 * that failed with no test results (one that could not load or run).
 */
const fs = require('node:fs');

const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const failedSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed`);
