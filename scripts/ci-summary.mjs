// Prints the closing "N passed, N failed" line of .ci/run from vitest's JSON report.
// A failed pre-step (type check, layer check) counts as one failed check.
import { existsSync, readFileSync } from 'node:fs';

const [file = 'test-results.json', pre = '0'] = process.argv.slice(2);
const preFailed = Number(pre) > 0 ? 1 : 0;
if (!existsSync(file)) {
  console.log(`0 passed, ${1 + preFailed} failed`);
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0) + preFailed;
console.log(`${r.numPassedTests} passed, ${failed} failed`);
