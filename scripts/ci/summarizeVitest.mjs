// Prints "N passed, N failed" from vitest's JSON report; "0 passed, 0 failed" when no report
// exists (lint or type check failed before any test ran).
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/vitest.json';
if (!existsSync(file)) {
  console.log('0 passed, 0 failed');
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed`);
