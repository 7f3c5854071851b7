import type { IncomingMessage } from 'node:http';
import { SUBGRAPH_NAMES } from '../../subgraphs/subgraphNames.js';
import { buildSubgraph } from '../../subgraphs/buildSubgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/lib/startSubgraph.js';
import { createRequestAuthenticator, type RequestAuthenticator } from '../../subgraphs/lib/authenticateRequest.js';
import { DEFAULT_ALGORITHMS, remoteKeys } from '../../lib/verifyAccessToken.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';
import { startAuth, type TestAuth } from './startAuth.js';

/** What a subgraph received: its name and the Authorization header values. */
export interface ReceivedRequest {
  subgraph: string;
  authorization: string[];
}

/** The real auth server, the four real subgraphs and the real router, each on an ephemeral loopback port. */
export interface TestStack {
  auth: TestAuth;
  router: RunningRouter;
  subgraphs: RunningSubgraph[];
  received: ReceivedRequest[];
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Changes to the router's raw configuration (before validation). */
  routerConfig?: (config: Record<string, any>) => Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** An auth server to reuse; by default one is started (and stopped) with the stack. */
  auth?: TestAuth;
  /** Wraps a subgraph's authenticator (e.g. to revoke a token). */
  wrapAuthenticate?: (subgraph: string, authenticate: RequestAuthenticator) => RequestAuthenticator;
}

const SCOPES: Record<string, string[]> = {
  accounts: ['accounts:read'],
  products: ['products:read', 'products:write'],
  inventory: ['inventory:read', 'inventory:write'],
  reviews: ['reviews:read', 'reviews:write'],
};

/** Starts the whole stack over real HTTP on 127.0.0.1, as `npm start` wires it. */
export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const auth = options.auth ?? (await startAuth());
  const received: ReceivedRequest[] = [];
  const observe = (subgraph: string) => (req: IncomingMessage) =>
    received.push({ subgraph, authorization: req.headersDistinct.authorization ?? [] });
  const keys = remoteKeys(`${auth.issuer}/jwks`);
  const wrap = options.wrapAuthenticate ?? ((_name: string, authenticate: RequestAuthenticator) => authenticate);
  const subgraphs = await Promise.all(
    SUBGRAPH_NAMES.map((name) =>
      startSubgraph({
        name,
        schema: buildSubgraph(name),
        host: '127.0.0.1',
        port: 0,
        observe: observe(name),
        authenticate: wrap(name, createRequestAuthenticator({ issuer: auth.issuer, audience: name, algorithms: DEFAULT_ALGORITHMS, clockToleranceSeconds: 5, keys })),
      }),
    ),
  );
  const raw = {
    listen: { host: '127.0.0.1', port: 0 },
    auth: { issuer: auth.issuer },
    exchange: { clientSecret: auth.secret('deputy-router') },
    subgraphs: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, { url: subgraph.url, scopes: SCOPES[subgraph.name] }])),
  };
  const config = parseRouterConfig(options.routerConfig ? options.routerConfig(raw) : raw, 'test router config');
  const router = await startRouter(config);
  return {
    auth,
    router,
    subgraphs,
    received,
    async stop() {
      await router.stop();
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
      if (!options.auth) await auth.stop();
    },
  };
}
