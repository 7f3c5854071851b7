import { createRequire } from 'node:module';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findUnservedFields } from '../../../registry/checks/findUnservedFields.js';

// @apollo/subgraph builds its schema with graphql's CommonJS build; execute it with the same copy.
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires"])';

const service = `${LINK}
  type Query { products(filter: ProductFilter, first: Int): [Product!]! }
  type Product @key(fields: "id") { id: ID! name: String status: Status weight: Int @external }
  interface Node { id: ID! }
  input ProductFilter { status: Status }
  enum Status { ACTIVE RETIRED }`;

describe('findUnservedFields', () => {
  it('finds nothing when the SDL declares what the service serves', () => {
    expect(findUnservedFields(service, service)).toEqual([]);
  });

  it('lists fields, arguments, input fields and enum values the service does not serve, sorted', () => {
    const proposed = `${LINK}
      type Query { products(filter: ProductFilter, first: Int, after: String): [Product!]! product(id: ID!): Product }
      type Product @key(fields: "id") { id: ID! name: String status: Status price: Int weight: Int @external }
      interface Node { id: ID! createdAt: String }
      input ProductFilter { status: Status maxPrice: Int }
      enum Status { ACTIVE RETIRED DRAFT }`;
    expect(findUnservedFields(proposed, service)).toEqual([
      'Node.createdAt',
      'Product.price',
      'ProductFilter.maxPrice',
      'Query.product',
      'Query.product(id:)',
      'Query.products(after:)',
      'Status.DRAFT',
    ]);
  });

  it('lists a type the service lacks once, not field by field', () => {
    const proposed = `${service} type Review { id: ID! body(format: String): String } enum Rating { GOOD BAD } input ReviewInput { body: String } scalar Markdown`;
    expect(findUnservedFields(proposed, service)).toEqual(['Markdown', 'Rating', 'Review', 'ReviewInput']);
  });

  it('ignores @external fields the SDL declares, since another subgraph resolves them', () => {
    const proposed = service.replace('weight: Int @external', 'weight: Int @external height: Int @external shippingCost: Int @requires(fields: "weight")');
    expect(findUnservedFields(proposed, service)).toEqual(['Product.shippingCost']);
  });

  it('does not count a field the service only declares @external as served', () => {
    const proposed = service.replace('weight: Int @external', 'weight: Int');
    expect(findUnservedFields(proposed, service)).toEqual(['Product.weight']);
  });

  it('accepts a service that serves more than the SDL declares (deployed first, published later)', () => {
    const ahead = `${service} extend type Product { price: Int } type Review { id: ID! }`;
    expect(findUnservedFields(service, ahead)).toEqual([]);
  });

  it("reads what @apollo/subgraph answers to _service { sdl }, root type renamed, federation's additions and all", async () => {
    const sdl = `${LINK} schema { query: Root } type Root { products(first: Int): [Product!]! } type Product @key(fields: "id") { id: ID! weight: Int @external ship: Int @requires(fields: "weight") }`;
    const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: {} });
    const result = await graphql({ schema, source: '{ _service { sdl } }' });
    const served = (result.data as { _service: { sdl: string } })._service.sdl;
    expect(served).toContain('_entities(representations: [_Any!]!)');
    expect(findUnservedFields(sdl, served)).toEqual([]);
    const proposed = sdl.replace('products(first: Int)', 'products(first: Int, after: String)').replace('weight: Int @external', 'weight: Int @external price: Int');
    expect(findUnservedFields(proposed, served)).toEqual(['Product.price', 'Query.products(after:)']);
  });

  it('merges type extensions on either side and ignores directive definitions and federation types', () => {
    const proposed = `${LINK}
      directive @audited on FIELD_DEFINITION
      scalar _Any
      type _Service { sdl: String }
      enum link__Purpose { SECURITY EXECUTION }
      type Query { _service: _Service! products(filter: ProductFilter, first: Int): [Product!]! }
      type Product @key(fields: "id") { id: ID! name: String }
      extend type Product { status: Status @audited weight: Int @external }
      interface Node { id: ID! }
      input ProductFilter { status: Status }
      enum Status { ACTIVE }
      extend enum Status { RETIRED }`;
    const printed = service.replace('type Query {', 'type Query { _entities(representations: [_Any!]!): [_Entity]! ');
    expect(findUnservedFields(proposed, printed)).toEqual([]);
  });
});
