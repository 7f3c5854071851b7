import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import type { DelegationTrace, QueryPlanNode } from '../../router/publishedTypes.js';

// `extensions.delegationTrace.queryPlan`: the gateway's plan as a JSON tree, only for a traced
// request that also sends `x-query-plan: 1`, and only to a caller the trace policy allows.

type Answer = { data?: unknown; extensions?: { delegationTrace?: DelegationTrace; warnings?: { code: string }[] } };
const TRACE = { 'x-delegation-trace': '1' };
const TRACE_AND_PLAN = { ...TRACE, 'x-query-plan': '1' };
const QUERY = 'query Top($first: Int) { topProducts(first: $first) { name inStock reviews { body } } }';

/** Every node of a plan, depth first. */
function nodesOf(node: QueryPlanNode | null | undefined): QueryPlanNode[] {
  if (!node) return [];
  const children = (() => {
    switch (node.kind) {
      case 'Sequence':
      case 'Parallel':
        return node.nodes;
      case 'Flatten':
        return [node.node];
      default:
        return [];
    }
  })();
  return [node, ...children.flatMap(nodesOf)];
}
const fetchesOf = (plan: QueryPlanNode | null | undefined) => nodesOf(plan).filter((node) => node.kind === 'Fetch');

describe('the query plan in the delegation trace', () => {
  let stack: TestStack;
  let alice = '';
  const ask = async (query: string, headers: Record<string, string>, token = alice) =>
    (await postGraphQL(stack.router.url, { query, variables: { first: 2 } }, { authorization: `Bearer ${token}`, ...headers })).json() as Answer;

  beforeAll(async () => {
    stack = await startStack();
    alice = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it('is a tree of the plan when x-query-plan comes with the trace: the products fetch, then entity fetches flattened into topProducts.@, each subgraph the trace fetched', async () => {
    const trace = (await ask(QUERY, TRACE_AND_PLAN)).extensions!.delegationTrace!;
    const plan = trace.queryPlan!;
    expect(plan.kind).toBe('Sequence');
    const fetches = fetchesOf(plan);
    expect(new Set(fetches.map((fetch) => fetch.kind === 'Fetch' && fetch.serviceName))).toEqual(new Set(trace.fetches.map((fetch) => fetch.subgraph)));
    expect(nodesOf(plan)[1]).toMatchObject({ kind: 'Fetch', serviceName: 'products', operationKind: 'query', variableUsages: ['first'] });
    const flattened = nodesOf(plan).filter((node) => node.kind === 'Flatten');
    expect(flattened.length).toBeGreaterThan(0);
    for (const flatten of flattened) {
      expect(flatten).toMatchObject({ path: 'topProducts.@', node: { kind: 'Fetch', requires: expect.stringContaining('... on Product') } });
      expect(flatten.kind === 'Flatten' && flatten.node.kind === 'Fetch' && flatten.node.operation).toContain('_entities');
    }
    // Plain JSON: nothing of the planner's objects (documents, rewrites) rides along.
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it("is the same tree when the plan comes from the gateway's cache", async () => {
    const first = (await ask(QUERY, TRACE_AND_PLAN)).extensions!.delegationTrace!.queryPlan;
    const again = (await ask(QUERY, TRACE_AND_PLAN)).extensions!.delegationTrace!.queryPlan;
    expect(again).toEqual(first);
  });

  it('is left out of a trace that did not ask for it, and sends no trace when only the plan is asked for', async () => {
    const traced = await ask(QUERY, TRACE);
    expect(traced.extensions!.delegationTrace!.fetches.length).toBeGreaterThan(0);
    expect(traced.extensions!.delegationTrace).not.toHaveProperty('queryPlan');
    const planOnly = await ask(QUERY, { 'x-query-plan': '1' });
    expect(planOnly.data).toBeTruthy();
    expect(planOnly).not.toHaveProperty('extensions');
  });

  it('goes to no caller the trace policy refuses: only the warning', async () => {
    const withoutTrace = await stack.auth.userToken('alice', 'openid products:read inventory:read reviews:read');
    const answer = await ask(QUERY, TRACE_AND_PLAN, withoutTrace);
    expect(answer.extensions).toEqual({ warnings: [expect.objectContaining({ code: 'DELEGATION_TRACE_NOT_ALLOWED' })] });
  });

  it('is null for an operation that needs no subgraph', async () => {
    const trace = (await ask('{ __typename }', TRACE_AND_PLAN)).extensions!.delegationTrace!;
    expect(trace.fetches).toEqual([]);
    expect(trace.queryPlan).toBeNull();
  });
});
