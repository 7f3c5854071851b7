import { describe, expect, it } from 'vitest';
import { findTakeovers, formatTakeover } from '../../../registry/checks/findTakeovers.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@override", "@shareable"])';

const inventory = { name: 'inventory', sdl: `${LINK} type Query { stock: Int } type Product @key(fields: "id") { id: ID! price: Int inStock: Boolean @shareable }` };
const products = { name: 'products', sdl: `${LINK} type Query { product: Product } type Product @key(fields: "id") { id: ID! name: String }` };
const current = [inventory, products];

const proposing = (fields: string) => ({ name: 'products', sdl: `${LINK} type Query { product: Product } type Product @key(fields: "id") { id: ID! name: String ${fields} }` });

describe('findTakeovers', () => {
  it('reports a field the proposed subgraph takes with @override from its owner', () => {
    expect(findTakeovers(current, proposing('price: Int @override(from: "inventory")'))).toEqual([
      { field: 'Product.price', owners: ['inventory'], taker: 'products', how: 'override' },
    ]);
  });

  it('reports a @shareable field the proposed subgraph starts resolving beside its owner as shared', () => {
    expect(findTakeovers(current, proposing('inStock: Boolean @shareable'))).toEqual([
      { field: 'Product.inStock', owners: ['inventory'], taker: 'products', how: 'shared' },
    ]);
  });

  it('reports a field the proposed subgraph stops declaring @external as shared', () => {
    const before = { name: 'products', sdl: `${LINK} type Product @key(fields: "id") { id: ID! inStock: Boolean @external }` };
    const after = { name: 'products', sdl: `${LINK} type Product @key(fields: "id") { id: ID! inStock: Boolean @shareable }` };
    expect(findTakeovers([inventory, before], after)).toEqual([{ field: 'Product.inStock', owners: ['inventory'], taker: 'products', how: 'shared' }]);
  });

  it('reports nothing for a field the proposed subgraph already resolved, even when it adds @override', () => {
    // Product.id: products resolves it beside inventory today, so even an override of it takes nothing new.
    const overridingOwnField = { name: 'products', sdl: `${LINK} type Query { product: Product } type Product @key(fields: "id") { id: ID! @override(from: "inventory") name: String }` };
    expect(findTakeovers(current, overridingOwnField)).toEqual([]);
  });

  it('reports nothing for a brand new field nobody resolved before', () => {
    expect(findTakeovers(current, proposing('description: String'))).toEqual([]);
  });

  it('reports nothing for a field the proposed subgraph declares @external', () => {
    expect(findTakeovers(current, proposing('price: Int @external'))).toEqual([]);
  });

  it('treats a subgraph not yet in the supergraph as a taker too', () => {
    const pricing = { name: 'pricing', sdl: `${LINK} type Product @key(fields: "id") { id: ID! price: Int @override(from: "inventory") }` };
    expect(findTakeovers(current, pricing)).toEqual([{ field: 'Product.price', owners: ['inventory'], taker: 'pricing', how: 'override' }]);
  });

  it('does not count the key fields a subgraph declares to extend an entity, wherever the @key stands', () => {
    const shipping = {
      name: 'shipping',
      sdl: `${LINK} type Product @key(fields: "id") @key(fields: "sku warehouse { id }") { id: ID! }
        extend type Product { sku: String @shareable warehouse: Warehouse @shareable inStock: Boolean @shareable }
        type Warehouse @shareable { id: ID! }`,
    };
    const owner = { name: 'inventory', sdl: `${LINK} type Product @key(fields: "id") { id: ID! sku: String @shareable warehouse: Warehouse @shareable inStock: Boolean @shareable } type Warehouse @shareable { id: ID! }` };
    expect(findTakeovers([owner], shipping).map((takeover) => takeover.field)).toEqual(['Product.inStock', 'Warehouse.id']);
  });

  it('calls an override shared when its from names a subgraph that did not resolve the field', () => {
    const shared = { name: 'catalog', sdl: `${LINK} type Product @key(fields: "id") { id: ID! inStock: Boolean @shareable }` };
    const taker = proposing('inStock: Boolean @shareable @override(from: "nobody")');
    expect(findTakeovers([...current, shared], taker)).toEqual([{ field: 'Product.inStock', owners: ['catalog', 'inventory'], taker: 'products', how: 'shared' }]);
  });

  it('sorts takeovers by field and reads renamed override directives', () => {
    const renamed = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", { name: "@override", as: "@takeover" }])';
    const taker = { name: 'products', sdl: `${renamed} type Query { stock: Int @takeover(from: "inventory") } type Product @key(fields: "id") { id: ID! price: Int @federation__override(from: "inventory") }` };
    expect(findTakeovers(current, taker).map((takeover) => [takeover.field, takeover.how])).toEqual([
      ['Product.price', 'override'],
      ['Query.stock', 'override'],
    ]);
  });
});

describe('formatTakeover', () => {
  it('says who takes which field from whom, and how, on one line', () => {
    expect(formatTakeover({ field: 'Product.price', owners: ['inventory'], taker: 'products', how: 'override' })).toBe(
      'products would take over Product.price from inventory (@override)',
    );
    expect(formatTakeover({ field: 'Product.inStock', owners: ['catalog', 'inventory', 'shipping'], taker: 'products', how: 'shared' })).toBe(
      'products would take over Product.inStock from catalog, inventory and shipping (shared)',
    );
  });
});
