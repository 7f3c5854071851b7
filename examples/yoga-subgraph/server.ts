import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { all, any, condition, createTokenVerifier, everyone, protectSchema, role, scope, useDeputy, useSecurityEvents, when, type RuleSet } from '../../subgraph-kit/index.js';

// A wishlists subgraph served by GraphQL Yoga, written against `deputy/subgraph` only (in your
// own repository: `from 'deputy/subgraph'`). It verifies the token the router exchanged for it
// (audience `wishlists`) and declares its rules once per type and field.

const SUBGRAPH = 'wishlists';

interface Wishlist { owner: string; shared: boolean; items: { name: string; price: number }[] }
/** Wishlists by the accounts subgraph's user id (the demo's alice is 7, bob 8, carol 9). */
const WISHLISTS: Record<string, Wishlist> = {
  '7': { owner: 'alice', shared: false, items: [{ name: 'telescope', price: 250 }] },
  '8': { owner: 'bob', shared: false, items: [{ name: 'kayak', price: 700 }] },
  '9': { owner: 'carol', shared: true, items: [{ name: 'tea set', price: 40 }, { name: 'atlas', price: 30 }] },
};
const wishlistOf = (user: UserRef): Wishlist | undefined => (Object.hasOwn(WISHLISTS, user.id) ? WISHLISTS[user.id] : undefined);

/** This subgraph's own role table (no demo user is a gift-planner). */
const roles = { has: (subject: string, name: string) => subject === 'concierge' && name === 'gift-planner' };

type UserRef = { id: string };

export const rules: RuleSet = {
  readScope: 'wishlists:read',
  types: {
    Query: { fields: { popularWishes: everyone } },
    // The object rule guards every path to a user here, the router's `_entities` fetches included:
    // someone else's wishlist is seen only when it is shared.
    User: {
      object: any(
        condition<UserRef>('shared', (user) => wishlistOf(user)?.shared === true),
        all(scope('wishlists:read'), when<UserRef>('its owner', (subject, user) => wishlistOf(user)?.owner === subject)),
      ),
      fields: { id: everyone, wishlist: scope('wishlists:read'), wishlistBudget: all(scope('wishlists:read'), role(roles, 'gift-planner')) },
    },
  },
};

const resolvers = {
  Query: { popularWishes: () => ['telescope', 'tea set'] },
  User: {
    __resolveReference: (ref: UserRef) => ref,
    wishlist: (user: UserRef) => wishlistOf(user)?.items.map((item) => item.name) ?? [],
    wishlistBudget: (user: UserRef) => wishlistOf(user)?.items.reduce((sum, item) => sum + item.price, 0) ?? 0,
  },
};

/** Starts the subgraph on node:http; `port` 0 picks a free port. */
export async function start({ issuer, port = 4022, host = '127.0.0.1' }: { issuer: string; port?: number; host?: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const typeDefs = parse(readFileSync(new URL('schema.graphql', import.meta.url), 'utf8'));
  const schema = protectSchema(SUBGRAPH, buildSubgraphSchema({ typeDefs, resolvers }), rules);
  const verifier = createTokenVerifier({ issuer, audience: SUBGRAPH });
  const yoga = createYoga({
    schema,
    // POST /events: the issuer's security events (RFC 8935) revoke tokens in this verifier.
    plugins: [useDeputy({ subgraph: SUBGRAPH, verifier }), useSecurityEvents(verifier.events)],
    // Errors with a code (the kit's FORBIDDEN among them) reach the router; any other is masked.
    maskedErrors: { maskError: (error, message, isDev) => (hasCode(error) ? (error as Error) : maskError(error, message, isDev)) },
    graphiql: false,
    logging: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}/graphql`;
  return { url, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

function hasCode(error: unknown): boolean {
  const original = (error as { originalError?: { extensions?: { code?: unknown } } }).originalError;
  return typeof original?.extensions?.code === 'string';
}
