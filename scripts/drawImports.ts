// npm run imports:graph: the house drawn from the code's imports. Prints which top-level folder
// imports which (with how many imports), as text and as a Mermaid graph for README or a PR.
import { crossImports } from './imports/folderImports.js';

const counts = new Map<string, number>();
for (const { from, to } of crossImports(process.cwd())) counts.set(`${from} -> ${to}`, (counts.get(`${from} -> ${to}`) ?? 0) + 1);
const edges = [...counts].sort(([a], [b]) => a.localeCompare(b));

for (const [edge, count] of edges) console.log(`${edge.padEnd(32)} ${count}`);
console.log('\n```mermaid\ngraph LR');
for (const [edge, count] of edges) {
  const [from, to] = edge.split(' -> ');
  console.log(`  ${from.replace(/\W/g, '_')}["${from}"] -->|${count}| ${to.replace(/\W/g, '_')}["${to}"]`);
}
console.log('```');
