import type { SchemaManager } from '../schema/schemaManager.js';
import type { RouterMetrics } from './metrics.js';

/**
 * Keeps deputy_supergraph_info{hash,version} at 1 for the served supergraph only: the previous
 * series is removed on each change, so a query for the current hash never sees two.
 */
export function trackSupergraph(metrics: RouterMetrics, schema: SchemaManager): void {
  let version = 1;
  metrics.supergraphInfo.set({ hash: schema.state.hash, version: String(version) }, 1);
  schema.onChange((state) => {
    version += 1;
    metrics.supergraphInfo.reset();
    metrics.supergraphInfo.set({ hash: state.hash, version: String(version) }, 1);
  });
}
