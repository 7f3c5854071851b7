import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { FULL_INVENTORY as FULL, REDUCED_INVENTORY as REDUCED, roverWorkspace } from '../helpers/roverWorkspace.js';
import { composeSupergraph, readSubgraphSources } from '../../registry/compose/composeSupergraph.js';
import { readRoverConfig } from '../../registry/compose/readRoverConfig.js';


function composed(inventory: string): string {
  const outcome = composeSupergraph(readSubgraphSources(readRoverConfig(roverWorkspace({ inventory })).subgraphs));
  if (!outcome.ok) throw new Error('composition failed');
  return outcome.supergraphSdl;
}

describe('the router watches its supergraph file', () => {
  let stack: TestStack;
  let file: string;
  let alice: string;
  const estimate = async () =>
    (await postGraphQL(stack.router.url, { query: '{ topProducts(first: 1) { shippingEstimate } }' }, { authorization: `Bearer ${alice}` })).status;
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 50 && !(await check()); i++) await sleep(100);
    return check();
  };

  beforeAll(async () => {
    file = join(dirname(roverWorkspace()), 'supergraph.graphql');
    writeFileSync(file, composed(REDUCED));
    stack = await startStack({ routerConfig: (c) => ({ ...c, supergraph: { file, watch: true } }) });
    alice = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it('serves a recomposed supergraph as soon as it is written', async () => {
    expect(await estimate()).toBe(400);
    writeFileSync(file, composed(FULL));
    expect(await eventually(async () => (await estimate()) === 200)).toBe(true);
  });

  it('keeps serving when the file becomes invalid', async () => {
    const hash = stack.router.schema.state.hash;
    writeFileSync(file, 'this is not a supergraph');
    await sleep(500);
    expect(stack.router.schema.state.hash).toBe(hash);
    expect(await estimate()).toBe(200);
  });
});
