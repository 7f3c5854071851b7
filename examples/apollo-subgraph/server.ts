import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { all, condition, createTokenVerifier, deputyApolloPlugin, deputyContext, everyone, protectSchema, role, scope, type DeputyContext, type RuleSet } from '../../subgraph-kit/index.js';

// A shipping subgraph served by Apollo Server, written against `deputy/subgraph` only (in your
// own repository: `from 'deputy/subgraph'`). It verifies the token the router exchanged for it
// (audience `shipping`) and declares its rules once per type and field.

const SUBGRAPH = 'shipping';
const CARRIERS = ['parcel-post', 'courier'];
/** Hazardous products ship only through the logistics team: their shipping data is withheld. */
const HAZARDOUS = new Set(['2']);

/** This subgraph's own role table: who holds which role here (no demo user holds logistics-admin). */
const roles = { has: (subject: string, name: string) => subject === 'logistics-bot' && name === 'logistics-admin' };

type ProductRef = { upc: string };

export const rules: RuleSet = {
  readScope: 'shipping:read',
  types: {
    Query: { fields: { carriers: everyone } },
    // The object rule guards every path to a product, the router's `_entities` fetches included.
    Product: {
      object: condition<ProductRef>('not hazardous', (product) => !HAZARDOUS.has(product.upc)),
      fields: { upc: everyone, shippingOptions: scope('shipping:read'), carrierCost: all(scope('shipping:read'), role(roles, 'logistics-admin')) },
    },
    ShippingOption: { fields: { carrier: everyone, days: everyone } },
  },
};

const resolvers = {
  Query: { carriers: () => CARRIERS },
  Product: {
    __resolveReference: (ref: ProductRef) => ref,
    shippingOptions: (product: ProductRef) => CARRIERS.map((carrier, i) => ({ carrier, days: Number(product.upc) + i * 2 })),
    carrierCost: (product: ProductRef) => 100 + Number(product.upc),
  },
};

/** Starts the subgraph; `port` 0 picks a free port. */
export async function start({ issuer, port = 4021, host = '127.0.0.1' }: { issuer: string; port?: number; host?: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const typeDefs = parse(readFileSync(new URL('schema.graphql', import.meta.url), 'utf8'));
  const schema = protectSchema(SUBGRAPH, buildSubgraphSchema({ typeDefs, resolvers }), rules);
  // The issuer's keys are discovered from <issuer>/.well-known/openid-configuration on first use.
  const verifier = createTokenVerifier({ issuer, audience: SUBGRAPH });
  const server = new ApolloServer<DeputyContext>({ schema, plugins: [deputyApolloPlugin({ subgraph: SUBGRAPH, verifier })] });
  const { url } = await startStandaloneServer(server, { listen: { host, port }, context: deputyContext(verifier) });
  return { url, stop: () => server.stop() };
}
