import { describe, expect, it } from 'vitest';
import { OperationTypeNode } from 'graphql';
import type { FetchNode, QueryPlan } from '@apollo/query-planner';
import { describeQueryPlan } from '../../../router/trace/describeQueryPlan.js';

// The kinds of plan node the demo's queries never make (deferred parts, @include conditions,
// subscriptions) described as the trace's tree; the rest is planned for real in
// test/router/queryPlanTrace.test.ts.

const fetch = (serviceName: string, extra: Partial<FetchNode> = {}): FetchNode => ({
  kind: 'Fetch',
  serviceName,
  operation: `{ ${serviceName} }`,
  operationName: undefined,
  operationKind: OperationTypeNode.QUERY,
  // What the tree leaves out: the parsed document and the rewrites.
  operationDocumentNode: { kind: 'Document', definitions: [] } as unknown as FetchNode['operationDocumentNode'],
  inputRewrites: [{ kind: 'ValueSetter', path: ['x'], setValueTo: 'y' }],
  ...extra,
});

describe('describeQueryPlan', () => {
  it('is null for a plan without a node (nothing to fetch)', () => {
    expect(describeQueryPlan({ kind: 'QueryPlan' })).toBeNull();
  });

  it('keeps of a fetch its subgraph, operation, variables and the entities it requires, as text', () => {
    const plan: QueryPlan = {
      kind: 'QueryPlan',
      node: fetch('inventory', {
        operationName: 'Top__inventory__1',
        variableUsages: ['first'],
        requires: [{ kind: 'InlineFragment', typeCondition: 'Product', selections: [{ kind: 'Field', name: '__typename' }, { kind: 'Field', alias: 'id', name: 'upc' }] }],
      }),
    };
    expect(describeQueryPlan(plan)).toEqual({
      kind: 'Fetch',
      serviceName: 'inventory',
      operationName: 'Top__inventory__1',
      operationKind: 'query',
      operation: '{ inventory }',
      variableUsages: ['first'],
      requires: '... on Product { __typename id: upc }',
    });
  });

  it('describes conditions, deferred parts and subscriptions with their children, leaving absent ones out', () => {
    const plan: QueryPlan = {
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [
          { kind: 'Condition', condition: 'withStock', ifClause: fetch('inventory') },
          {
            kind: 'Defer',
            primary: { node: fetch('products') },
            deferred: [
              { depends: [], label: 'later', queryPath: ['topProducts', '@'], node: { kind: 'Flatten', path: ['topProducts', '@'], node: fetch('reviews') } },
              { depends: [], queryPath: [] },
            ],
          },
        ],
      },
    };
    expect(describeQueryPlan(plan)).toEqual({
      kind: 'Sequence',
      nodes: [
        { kind: 'Condition', condition: 'withStock', ifClause: expect.objectContaining({ serviceName: 'inventory', variableUsages: [] }) },
        {
          kind: 'Defer',
          primary: expect.objectContaining({ serviceName: 'products' }),
          deferred: [
            { label: 'later', path: 'topProducts.@', node: { kind: 'Flatten', path: 'topProducts.@', node: expect.objectContaining({ serviceName: 'reviews' }) } },
            { path: '' },
          ],
        },
      ],
    });
    const subscription = describeQueryPlan({ kind: 'QueryPlan', node: { kind: 'Subscription', primary: fetch('reviews'), rest: fetch('accounts') } });
    expect(subscription).toMatchObject({ kind: 'Subscription', primary: { serviceName: 'reviews' }, rest: { serviceName: 'accounts' } });
    expect(JSON.stringify(describeQueryPlan(plan))).not.toMatch(/Document|ValueSetter|undefined/);
  });
});
