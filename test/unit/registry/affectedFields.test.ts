import { createRequire } from 'node:module';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { affectedFields } from '../../../registry/checks/affectedFields.js';
import type { SchemaChange } from '../../../registry/checks/checkSchemaChange.js';

// The changes come from the real @graphql-inspector/core diff, as checkSchemaChange makes them,
// so the path formats here are the ones production sees.

// Under vitest, @graphql-inspector/core loads graphql's CommonJS build while this file and the
// registry get its ES module build; each is handed schemas from its own copy (in Node there is one).
const cjs = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const BEFORE = `
  type Query { product(id: ID!, locale: String): Product products(status: Status, filter: ProductFilter): [Product!]! search: SearchResult legacy: Legacy }
  type Mutation { archive(where: ArchiveInput): Boolean }
  type Product implements Node { id: ID! name: String price: Int status: Status }
  interface Node { id: ID! }
  enum Status { ACTIVE RETIRED }
  input ArchiveInput { filter: ProductFilter status: Status }
  input ProductFilter { price: PriceRange }
  input PriceRange { min: Int max: Int }
  union SearchResult = Product | Legacy
  type Legacy { code: String }
  directive @cached(seconds: Int) on FIELD_DEFINITION
`;

async function breaking(before: string, after: string): Promise<SchemaChange[]> {
  const changes = await diff(cjs.buildSchema(before), cjs.buildSchema(after));
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => ({ level: 'breaking', type: change.type, message: change.message, path: change.path }));
}

describe('affectedFields', () => {
  it('maps a removed field and a field whose type changed to their coordinates', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('name: String price: Int', 'price: Float'));
    expect(changes.map((change) => [change.type, change.path])).toEqual([
      ['FIELD_REMOVED', 'Product.name'],
      ['FIELD_TYPE_CHANGED', 'Product.price'],
    ]);
    expect(affectedFields(changes)).toEqual(['Product.name', 'Product.price']);
  });

  it('maps a removed or retyped argument to the field that takes it', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('product(id: ID!, locale: String)', 'product(id: String!)'));
    expect(changes.map((change) => change.path)).toEqual(['Query.product.locale', 'Query.product.id']);
    expect(affectedFields(changes)).toEqual(['Query.product']);
  });

  it('maps a removed type or a changed union to a prefix for every field of it', async () => {
    const after = BEFORE.replace('legacy: Legacy', '').replace('union SearchResult = Product | Legacy', 'union SearchResult = Product').replace('type Legacy { code: String }', '');
    const changes = await breaking(BEFORE, after);
    expect(changes.map((change) => [change.type, change.path])).toEqual(
      expect.arrayContaining([
        ['TYPE_REMOVED', 'Legacy'],
        ['UNION_MEMBER_REMOVED', 'SearchResult'],
      ]),
    );
    expect(affectedFields(changes)).toEqual(['Legacy.', 'Query.legacy', 'SearchResult.']);
  });

  it('reads a removed enum value as a field when it has no schema to tell', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('enum Status { ACTIVE RETIRED }', 'enum Status { ACTIVE }'));
    expect(changes.map((change) => [change.type, change.path])).toEqual([['ENUM_VALUE_REMOVED', 'Status.RETIRED']]);
    expect(affectedFields(changes)).toEqual(['Status.RETIRED']);
  });

  it('maps an enum change, given the schema, to the fields that return the enum or take it, directly or inside an input', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('enum Status { ACTIVE RETIRED }', 'enum Status { ACTIVE }'));
    expect(affectedFields(changes, buildSchema(BEFORE))).toEqual(['Mutation.archive', 'Product.status', 'Query.products']);
  });

  it('maps an input type change, given the schema, to the fields that take it, through nested inputs', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('input PriceRange { min: Int max: Int }', 'input PriceRange { min: Int max: Int! }'));
    expect(changes.map((change) => [change.type, change.path])).toEqual([['INPUT_FIELD_TYPE_CHANGED', 'PriceRange.max']]);
    expect(affectedFields(changes)).toEqual(['PriceRange.max']);
    expect(affectedFields(changes, buildSchema(BEFORE))).toEqual(['Mutation.archive', 'Query.products']);
  });

  it('maps a union change, given the schema, to its prefix and the fields that return it', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('union SearchResult = Product | Legacy', 'union SearchResult = Product'));
    expect(affectedFields(changes, buildSchema(BEFORE))).toEqual(['Query.search', 'SearchResult.']);
  });

  it('keeps object and interface paths as they are when given the schema', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('type Product implements Node { id: ID! name: String', 'type Product { id: ID!'));
    expect(changes.map((change) => [change.type, change.path])).toEqual([
      ['OBJECT_TYPE_INTERFACE_REMOVED', 'Product'],
      ['FIELD_REMOVED', 'Product.name'],
    ]);
    expect(affectedFields(changes, buildSchema(BEFORE))).toEqual(['Product.', 'Product.name']);
  });

  it('skips directive changes and changes without a path, and deduplicates', async () => {
    const changes = await breaking(BEFORE, BEFORE.replace('directive @cached(seconds: Int) on FIELD_DEFINITION', ''));
    expect(changes.map((change) => change.path)).toEqual(['@cached']);
    const pathless: SchemaChange = { level: 'breaking', type: 'SCHEMA_QUERY_TYPE_CHANGED', message: 'the query type changed' };
    const twice: SchemaChange = { level: 'breaking', type: 'FIELD_REMOVED', message: '', path: 'Product.name' };
    expect(affectedFields([...changes, pathless, twice, twice])).toEqual(['Product.name']);
  });
});
