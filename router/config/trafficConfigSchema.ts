import { z } from 'zod';
import { flag } from './configPrimitives.js';

/** `traffic`: how the router's requests to the subgraphs are shaped. */
export const trafficConfigSchema = z
  .object({
    deduplicateFetches: flag
      .default(true)
      .describe(
        'Identical query fetches to one subgraph in flight at the same time share one HTTP request: the same exchanged token (so the same user, through the same caller token), document, variables and headers. Each request gets its own copy of the answer; nothing is kept after it. Never for a mutation, never across tokens. `subgraphs.<name>.deduplicate` overrides it per subgraph.',
      ),
  })
  .strict()
  .prefault({})
  .describe('Traffic to the subgraphs (README "Fetch deduplication").');
