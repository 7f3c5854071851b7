import type { DelegationTrace } from '../../../router/publishedTypes.js';
import { byId } from '../dom.js';
import { renderWaterfall } from './waterfall.js';
import { renderCallGraph } from './callGraph.js';
import { renderFieldTree } from './fieldTree.js';
import { renderQueryPlan } from './queryPlanTree.js';

const PROMPT = 'Click a field to see its chain.';

/**
 * Draws a trace in the trace view (waterfall, call graph, query plan, field tree), or, without one, hides
 * the view and empties it, so an earlier query's trace never shows beside this answer.
 */
export function showTrace(trace: DelegationTrace | undefined): void {
  const panel = byId('field-details');
  byId('trace-view').hidden = !trace;
  if (!trace) {
    for (const id of ['waterfall', 'call-graph', 'query-plan', 'field-tree']) byId(id).replaceChildren();
    panel.replaceChildren(PROMPT);
    return;
  }
  byId('waterfall').replaceChildren(renderWaterfall(trace));
  byId('call-graph').replaceChildren(renderCallGraph(trace));
  byId('query-plan').replaceChildren(renderQueryPlan(trace.queryPlan));
  panel.replaceChildren(PROMPT);
  byId('field-tree').replaceChildren(renderFieldTree(trace, panel));
}
