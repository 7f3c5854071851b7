// Prints "N passed, N failed" from vitest's JSON reports, summed over every report named (one
// per Node version in CI, each on its own line first); a report that does not exist (lint or
// type check failed before any test ran, or that Node could not be installed) counts 0.
import { existsSync, readFileSync } from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['reports/vitest.json'];
let passed = 0;
let failed = 0;
for (const file of files) {
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { numPassedTests: 0, numFailedTests: 0 };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (files.length > 1) console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${existsSync(file) ? '' : ' (no report)'}`);
}
console.log(`${passed} passed, ${failed} failed`);
