import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRoverConfig } from '../../../registry/compose/readRoverConfig.js';
import { composeSupergraph, readSubgraphSources } from '../../../registry/compose/composeSupergraph.js';

describe('schema/supergraph.graphql', () => {
  it('is exactly what composing rover.yaml produces (run `npm run compose` after editing a subgraph SDL)', () => {
    const outcome = composeSupergraph(readSubgraphSources(readRoverConfig('rover.yaml').subgraphs));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(readFileSync('schema/supergraph.graphql', 'utf8')).toBe(outcome.supergraphSdl);
  });
});
