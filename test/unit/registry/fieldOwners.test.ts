import { describe, expect, it } from 'vitest';
import { fieldOwners } from '../../../registry/checks/fieldOwners.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@override", "@shareable", "@requires"])';

const products = {
  name: 'products',
  sdl: `${LINK}
    type Query { product(id: ID!): Product }
    type Product @key(fields: "id") { id: ID! name: String price: Int }`,
};

const inventory = {
  name: 'inventory',
  sdl: `${LINK}
    type Product @key(fields: "id") { id: ID! @shareable weight: Int @external shippingEstimate: Int @requires(fields: "weight") }`,
};

const asObject = (owners: Map<string, Set<string>>) => Object.fromEntries([...owners].map(([field, names]) => [field, [...names].sort()]));

describe('fieldOwners', () => {
  it('lists, for each field, every subgraph that declares it without @external', () => {
    expect(asObject(fieldOwners([products, inventory]))).toEqual({
      'Query.product': ['products'],
      'Product.id': ['inventory', 'products'],
      'Product.name': ['products'],
      'Product.price': ['products'],
      'Product.weight': [],
      'Product.shippingEstimate': ['inventory'],
    });
  });

  it('gives an overridden field to the overrider alone, whichever order the subgraphs come in', () => {
    const pricing = { name: 'pricing', sdl: `${LINK} type Product @key(fields: "id") { id: ID! price: Int @override(from: "products") }` };
    expect(fieldOwners([products, pricing]).get('Product.price')).toEqual(new Set(['pricing']));
    expect(fieldOwners([pricing, products]).get('Product.price')).toEqual(new Set(['pricing']));
  });

  it('keeps other plain resolvers of an overridden field', () => {
    const shared = `${LINK} type Product @key(fields: "id") { id: ID! tax: Int @shareable }`;
    const pricing = { name: 'pricing', sdl: `${LINK} type Product @key(fields: "id") { id: ID! tax: Int @shareable @override(from: "products") }` };
    const owners = fieldOwners([{ name: 'products', sdl: shared }, { name: 'catalog', sdl: shared }, pricing]);
    expect(owners.get('Product.tax')).toEqual(new Set(['catalog', 'pricing']));
  });

  it('leaves the original owner resolving a field under a progressive (labelled) override', () => {
    const pricing = { name: 'pricing', sdl: `${LINK} type Product @key(fields: "id") { id: ID! price: Int @override(from: "products", label: "percent(10)") }` };
    expect(fieldOwners([products, pricing]).get('Product.price')).toEqual(new Set(['pricing', 'products']));
  });

  it('reads @override and @external by their namespaced names when the link does not import them', () => {
    const bare = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
    const pricing = {
      name: 'pricing',
      sdl: `${bare} type Product @key(fields: "id") { id: ID! price: Int @federation__override(from: "products") name: String @federation__external }`,
    };
    const owners = fieldOwners([products, pricing]);
    expect(owners.get('Product.price')).toEqual(new Set(['pricing']));
    expect(owners.get('Product.name')).toEqual(new Set(['products']));
  });

  it('reads @override and @external under the names a link renames them to, or its own namespace', () => {
    const renamed = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", as: "fed", import: ["@key", { name: "@override", as: "@takeover" }, { name: "@external", as: "@elsewhere" }])`;
    const pricing = {
      name: 'pricing',
      sdl: `${renamed} type Product @key(fields: "id") { id: ID! price: Int @takeover(from: "products") name: String @elsewhere }`,
    };
    const owners = fieldOwners([products, pricing]);
    expect(owners.get('Product.price')).toEqual(new Set(['pricing']));
    expect(owners.get('Product.name')).toEqual(new Set(['products']));
    const namespaced = { name: 'pricing', sdl: `${renamed} type Product @key(fields: "id") { id: ID! price: Int @fed__override(from: "products") }` };
    expect(fieldOwners([products, namespaced]).get('Product.price')).toEqual(new Set(['pricing']));
  });

  it('does not read a directive named @override as federation when the link imported @override under another name', () => {
    const renamed = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", { name: "@override", as: "@takeover" }])
      directive @override(from: String) on FIELD_DEFINITION`;
    const pricing = { name: 'pricing', sdl: `${renamed} type Product @key(fields: "id") { id: ID! price: Int @override(from: "products") }` };
    expect(fieldOwners([products, pricing]).get('Product.price')).toEqual(new Set(['pricing', 'products']));
  });

  it('treats every field of an @external type as external', () => {
    const reviews = { name: 'reviews', sdl: `${LINK} type Product @key(fields: "id") { id: ID! } extend type Product @external { name: String }` };
    expect(fieldOwners([products, reviews]).get('Product.name')).toEqual(new Set(['products']));
    expect(fieldOwners([products, reviews]).get('Product.id')).toEqual(new Set(['products', 'reviews']));
  });

  it('reads Federation 1 extensions: extend type and extend interface fields, @external key fields', () => {
    const reviews = {
      name: 'reviews',
      sdl: `extend type Product @key(fields: "id") { id: ID! @external reviews: [String] }
        extend interface Node { createdAt: String }
        extend type Query { topReviews: [String] }`,
    };
    expect(asObject(fieldOwners([reviews]))).toEqual({ 'Product.id': [], 'Product.reviews': ['reviews'], 'Node.createdAt': ['reviews'], 'Query.topReviews': ['reviews'] });
  });

  it('names root types Query, Mutation and Subscription whatever the subgraph calls them', () => {
    const orders = { name: 'orders', sdl: 'schema { query: RootQuery mutation: RootMutation } type RootQuery { order: String } type RootMutation { cancel: Boolean }' };
    expect([...fieldOwners([orders]).keys()]).toEqual(['Query.order', 'Mutation.cancel']);
  });

  it("ignores federation's own types and fields and introspection", () => {
    const printed = {
      name: 'products',
      sdl: `${LINK}
        scalar _Any
        union _Entity = Product
        type _Service { sdl: String }
        enum link__Purpose { SECURITY EXECUTION }
        type join__Graph { name: String }
        type __Schema { description: String }
        type Query { _service: _Service! _entities(representations: [_Any!]!): [_Entity]! __typename: String product: Product }
        type Product @key(fields: "id") { id: ID! }`,
    };
    expect([...fieldOwners([printed]).keys()].sort()).toEqual(['Product.id', 'Query.product']);
  });
});
