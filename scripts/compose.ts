// `npm run compose [-- --config rover.yaml --out schema/supergraph.graphql]`:
// composes the subgraphs listed in rover.yaml into the supergraph the router loads.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readRoverConfig } from '../registry/compose/readRoverConfig.js';
import { composeSupergraph, formatProblems, readSubgraphSources } from '../registry/compose/composeSupergraph.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'rover.yaml' },
    out: { type: 'string', default: 'schema/supergraph.graphql' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('Usage: npm run compose [-- --config rover.yaml --out schema/supergraph.graphql]');
  process.exit(0);
}

try {
  const rover = readRoverConfig(values.config);
  const outcome = composeSupergraph(readSubgraphSources(rover.subgraphs));
  if (!outcome.ok) {
    console.error(formatProblems(outcome.problems));
    console.error(`Composition failed with ${outcome.problems.length} error(s); ${values.out} was left unchanged.`);
    process.exit(1);
  }
  writeFileSync(values.out, outcome.supergraphSdl);
  console.log(`Composed ${rover.subgraphs.map((s) => s.name).join(', ')} into ${values.out}`);
} catch (error) {
  console.error(`compose: ${(error as Error).message}`);
  process.exit(1);
}
