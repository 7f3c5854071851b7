// Entry point of one subgraph process: `node dist/subgraphs/main.js <name>` (from the sources: `node --import tsx subgraphs/main.ts <name>`).
import { DEFAULT_HOST, portFor, portVariable } from '../lib/defaults.js';
import { buildSubgraph } from './buildSubgraph.js';
import { datasetFromEnv, loadDataset } from './data/datasets.js';
import { SUBGRAPH_NAMES, isSubgraphName } from './subgraphNames.js';
import { startSubgraph } from './lib/startSubgraph.js';
import { securityFromEnv } from './lib/securityFromEnv.js';
import { stopOnSignalOrParentExit } from '../lib/stopOnSignalOrParentExit.js';

const name = process.argv[2] ?? '';
if (!isSubgraphName(name)) {
  console.error(`Usage: subgraphs/main.ts <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}

try {
  const security = await securityFromEnv(name);
  const subgraph = await startSubgraph({
    name,
    schema: buildSubgraph(name, loadDataset(datasetFromEnv()), { broker: security.broker }).schema,
    verifier: security.verifier,
    // The issuer pushes its security events here (RFC 8935): a revoked user's tokens are refused at once.
    events: security.verifier?.events,
    host: process.env.DEPUTY_HOST ?? DEFAULT_HOST,
    port: portFor(name),
    portHint: `Set ${portVariable(name)} to another port.`,
  });
  console.log(`${name} subgraph listening on ${subgraph.url}${process.env.DEPUTY_SUBGRAPH_AUTH === 'off' ? ' (no authentication)' : ''}`);
  stopOnSignalOrParentExit(() => subgraph.stop());
} catch (error) {
  console.error(`${name}: ${(error as Error).message}`);
  process.exit(1);
}
