import { describe, expect, it } from 'vitest';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { estimateCost } from '../../../router/limits/estimateCost.js';
import { readCostDirectives } from '../../../router/limits/costDirectives.js';

const SDL = `
  type Query { topProducts(first: Int = 5): [Product] users: [User] product(upc: String!): Product search(limit: Int): [Product] }
  type Product { upc: String name: String reviews: [Review] }
  type Review { id: ID body: String author: User product: Product }
  type User { id: ID reviews: [Review] }
  type Mutation { setStock(upc: String!): Product }
`;
const schema = buildSchema(SDL);
const settings = { defaultListSize: 10, listSizes: {} as Record<string, number> };
const cost = (query: string, variables: Record<string, unknown> = {}, overrides = settings, sdl?: string) => {
  const document = parse(query);
  return estimateCost(document, getOperationAST(document)!, schema, variables, overrides, sdl ? readCostDirectives(sdl) : undefined);
};

describe('estimated cost', () => {
  it('counts an object 1 and a scalar 0, and multiplies a list by its size', () => {
    expect(cost('{ product(upc: "1") { name } }')).toBe(1);
    expect(cost('{ product(upc: "1") { reviews { id } } }')).toBe(1 + 10);
    expect(cost('{ users { reviews { product { name } } } }')).toBe(10 * (1 + 10 * (1 + 1)));
  });

  it('takes a list size from a slicing argument, a variable, or the argument default', () => {
    expect(cost('{ topProducts(first: 2) { name } }')).toBe(2);
    expect(cost('query($n: Int) { topProducts(first: $n) { name } }', { n: 3 })).toBe(3);
    expect(cost('{ topProducts { name } }')).toBe(5);
    expect(cost('{ search(limit: 7) { name } }')).toBe(7);
  });

  it('uses configured sizes per field, then @listSize and @cost from the supergraph', () => {
    expect(cost('{ users { id } }', {}, { defaultListSize: 10, listSizes: { 'Query.users': 3 } })).toBe(3);
    const sdl = `${SDL} extend type Query { users: [User] @listSize(assumedSize: 4) } extend type User { id: ID @cost(weight: 2) }`;
    expect(cost('{ users { id } }', {}, settings, sdl)).toBe(4 * (1 + 2));
  });

  it('counts fragments where they are spread, and a mutation field 10 on its own', () => {
    expect(cost('{ users { ...U } } fragment U on User { reviews { id } }')).toBe(10 * (1 + 10));
    expect(cost('mutation { setStock(upc: "1") { name } }')).toBe(1 + 10);
  });

  it('without a schema, counts every selection as a list and _entities as its representations', () => {
    const document = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { id } } } }');
    const estimate = estimateCost(document, getOperationAST(document)!, undefined, { r: [{}, {}, {}] }, settings);
    expect(estimate).toBe(3 * (1 + 10 * 1));
  });
});
