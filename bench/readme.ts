// `npm run bench:readme`: regenerates README.md's benchmark table from bench/results/results.json,
// measuring nothing (`npm run bench` does the same after a run that writes there).
import { readFileSync, writeFileSync } from 'node:fs';
import { readResults, RESULTS_FILE } from './benchResults.js';
import { withBenchTable } from './readmeTable.js';

writeFileSync('README.md', withBenchTable(readFileSync('README.md', 'utf8'), readResults()));
console.log(`bench:readme: wrote README.md's benchmark table from ${RESULTS_FILE}`);
