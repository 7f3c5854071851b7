// Entry point of the router process: `node --import tsx router/main.ts`.
import { DEFAULT_HOST, portFor, portVariable } from '../lib/defaults.js';
import { stopOnSignalOrParentExit } from '../lib/stopOnSignal.js';
import { subgraphUrlsFromEnv } from './subgraphUrlsFromEnv.js';
import { startRouter } from './startRouter.js';

try {
  const router = await startRouter({
    host: process.env.DEPUTY_HOST ?? DEFAULT_HOST,
    port: portFor('router'),
    supergraphPath: process.env.DEPUTY_SUPERGRAPH ?? 'schema/supergraph.graphql',
    subgraphUrls: subgraphUrlsFromEnv(process.env),
    portHint: `Set ${portVariable('router')} to another port.`,
  });
  console.log(`router listening on ${router.url}`);
  stopOnSignalOrParentExit(() => router.stop());
} catch (error) {
  console.error(`router: ${(error as Error).message}`);
  process.exit(1);
}
