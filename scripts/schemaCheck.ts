// `npm run schema:check -- <subgraph> <file> [--json]`: does the proposed SDL compose with the
// other subgraphs in rover.yaml, and does it break clients of the current supergraph? Exits 1 if either.
import { parseArgs } from 'node:util';
import { formatCheck, proposeChange } from './schema/proposeChange.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    config: { type: 'string', default: 'rover.yaml' },
    against: { type: 'string', default: 'schema/supergraph.graphql' },
    help: { type: 'boolean', default: false },
  },
});

const [subgraph, file] = positionals;
if (values.help || !subgraph || !file) {
  console.log('Usage: npm run schema:check -- <subgraph> <file.graphql> [--json] [--config rover.yaml] [--against schema/supergraph.graphql]');
  process.exit(values.help ? 0 : 2);
}

try {
  const check = await proposeChange({ subgraph, file, config: values.config, against: values.against });
  console.log(values.json ? JSON.stringify({ subgraph, ...check, supergraphSdl: undefined }, null, 2) : formatCheck(subgraph, check));
  process.exit(!check.composes || check.breaking.length > 0 ? 1 : 0);
} catch (error) {
  console.error(`schema:check: ${(error as Error).message}`);
  process.exit(2);
}
