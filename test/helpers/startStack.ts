import { SUBGRAPH_NAMES } from '../../subgraphs/subgraphNames.js';
import { buildSubgraph } from '../../subgraphs/buildSubgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/lib/startSubgraph.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';

/** The four real subgraphs and the real router, each on an ephemeral loopback port. */
export interface TestStack {
  router: RunningRouter;
  subgraphs: RunningSubgraph[];
  stop(): Promise<void>;
}

/** Starts the demo subgraphs and a router in front of them, all over real HTTP on 127.0.0.1. */
export async function startStack(): Promise<TestStack> {
  const subgraphs = await Promise.all(
    SUBGRAPH_NAMES.map((name) => startSubgraph({ name, schema: buildSubgraph(name), host: '127.0.0.1', port: 0 })),
  );
  const router = await startRouter({
    host: '127.0.0.1',
    port: 0,
    supergraphPath: 'schema/supergraph.graphql',
    subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
  });
  return {
    router,
    subgraphs,
    async stop() {
      await router.stop();
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    },
  };
}
