import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../examples/apollo-subgraph/server.js';
import { startExampleStack, type ExampleStack } from '../helpers/startExampleStack.js';

// examples/apollo-subgraph behind the router, composed with the demo subgraphs: its rules hold
// on its root field, on the fields it adds to Product and through `_entities`, and its decisions
// appear in the delegation trace.

describe('examples/apollo-subgraph behind the router', () => {
  let example: ExampleStack;
  let alice: string;

  beforeAll(async () => {
    example = await startExampleStack({
      name: 'shipping',
      scopes: ['shipping:read'],
      sdlFile: new URL('../../examples/apollo-subgraph/schema.graphql', import.meta.url),
      start,
      entitlements: { alice: ['shipping:read'], bob: ['shipping:read'] },
    });
    alice = await example.userToken('alice');
  });
  afterAll(() => example?.stop());

  it('serves its public root field', async () => {
    const body = await example.ask(alice, '{ carriers }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ carriers: ['parcel-post', 'courier'] });
  });

  it('serves a field that needs its scope, through _entities, to a user who holds it', async () => {
    const body = await example.ask(alice, '{ topProducts(first: 1) { upc name shippingOptions { carrier days } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ topProducts: [{ upc: '1', name: expect.any(String), shippingOptions: [{ carrier: 'parcel-post', days: 1 }, { carrier: 'courier', days: 3 }] }] });
  });

  it("denies a field that needs a role the user lacks: null, FORBIDDEN with the rule's name", async () => {
    const body = await example.ask(alice, '{ topProducts(first: 1) { name carrierCost } }');
    expect(body.data?.topProducts).toEqual([{ name: expect.any(String), carrierCost: null }]);
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['topProducts', 0, 'carrierCost'], extensions: expect.objectContaining({ code: 'FORBIDDEN', rule: 'scope shipping:read and role logistics-admin' }) }),
    ]);
  });

  it("applies Product's object rule to _entities: the hazardous product's shipping data is withheld", async () => {
    const body = await example.ask(alice, '{ topProducts(first: 3) { upc shippingOptions { carrier } } }');
    const products = body.data?.topProducts as { upc: string; shippingOptions: unknown }[];
    expect(products.map((product) => [product.upc, product.shippingOptions === null])).toEqual([
      ['1', false],
      ['2', true],
      ['3', false],
    ]);
  });

  it("shows the subgraph's decisions in the delegation trace", async () => {
    const body = await example.ask(alice, '{ topProducts(first: 3) { upc shippingOptions { carrier } carrierCost } }');
    const trace = body.extensions!.delegationTrace!;
    const shipping = trace.fetches.find((fetch) => fetch.subgraph === 'shipping')!;
    expect(shipping.authorization).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'Product.shippingOptions', decision: 'allow', rule: 'scope shipping:read' }),
        expect.objectContaining({ field: 'Product.carrierCost', decision: 'deny', rule: 'scope shipping:read and role logistics-admin' }),
        expect.objectContaining({ field: 'Product', decision: 'withhold', rule: 'not hazardous' }),
      ]),
    );
    expect(trace.fields['topProducts.@.carrierCost'].denied).toEqual({ rule: 'scope shipping:read and role logistics-admin' });
  });
});
