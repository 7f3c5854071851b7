import type { DelegationTrace } from '../../../router/publishedTypes.js';

/**
 * The trace worth drawing for a response, if any: one that came with data and made at least
 * one fetch. A query that failed validation, or any answer without data, shows its errors
 * and no empty waterfall or graph.
 */
export function traceToShow(body: { data?: unknown; extensions?: { delegationTrace?: DelegationTrace } }): DelegationTrace | undefined {
  const trace = body.extensions?.delegationTrace;
  if (body.data === undefined || body.data === null || !trace?.fetches.length) return undefined;
  return trace;
}
