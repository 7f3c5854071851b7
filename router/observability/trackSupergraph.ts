import type { SchemaManager } from '../schema/schemaManager.js';
import type { RouterMetrics } from './metrics.js';

/**
 * Keeps deputy_supergraph_info{hash,version} at 1 for the served supergraph only: the previous
 * series is removed on each change, so a query for the current hash never sees two.
 */
export function trackSupergraph(metrics: RouterMetrics, schema: SchemaManager): void {
  // The registry's version number; without one, the count of supergraphs this router served.
  let served = 1;
  metrics.supergraphInfo.set({ hash: schema.state.hash, version: String(schema.state.version ?? served) }, 1);
  schema.onChange((state) => {
    served += 1;
    metrics.supergraphInfo.reset();
    metrics.supergraphInfo.set({ hash: state.hash, version: String(state.version ?? served) }, 1);
  });
}
