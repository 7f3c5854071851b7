import type { IncomingMessage } from 'node:http';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/subgraphNames.js';
import { loadDataset, type Dataset, type DatasetName } from '../../subgraphs/data/datasets.js';
import type { RoleStore } from '../../subgraphs/lib/roleStore.js';
import { buildSubgraph, type BuiltSubgraph } from '../../subgraphs/buildSubgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/lib/startSubgraph.js';
import { createTokenVerifier, type SubgraphTokenVerifier, type TokenVerifier } from '../../subgraph-kit/index.js';
import { remoteKeys } from '../../lib/verifyAccessToken.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';
import type { RouterConfig } from '../../router/config/configSchema.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';
import { startAuth, type TestAuth } from './startAuth.js';
import { createBrokerClient } from '../../broker-client/index.js';
import { memoryAuditLog, type AuditEvent } from '../../router/audit/auditLog.js';
import { readBrokerCallers, type BrokerCallers } from '../../lib/brokerPolicy.js';
import { delegationAcceptance } from '../../lib/checkDelegation.js';
import type { Logger } from '../../router/observability/createLogger.js';

/** What a subgraph received: its name and the Authorization header values. */
export interface ReceivedRequest {
  subgraph: string;
  authorization: string[];
  traceparent?: string;
}

/** The real auth server, the four real subgraphs and the real router, each on an ephemeral loopback port. */
export interface TestStack {
  auth: TestAuth;
  router: RunningRouter;
  /** The router's configuration, to start more instances of it (a fleet, a restart). */
  config: RouterConfig;
  subgraphs: RunningSubgraph[];
  received: ReceivedRequest[];
  /** The router's audit events (none when its configuration names the postgres sink: they are in PostgreSQL). */
  audit: AuditEvent[];
  /** Each subgraph's own role table, to grant and revoke between requests. */
  roles: Record<SubgraphName, RoleStore>;
  /** Each subgraph's own verifier (before any wrapVerifier): its revocations. */
  verifiers: Record<SubgraphName, SubgraphTokenVerifier>;
  /** Each subgraph as built: its schema and the rules applied to it (the generic rule walk reads them). */
  built: Record<SubgraphName, BuiltSubgraph>;
  /** The dataset the subgraphs serve. */
  data: Dataset;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Changes to the router's raw configuration (before validation). */
  routerConfig?: (config: Record<string, any>) => Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** An auth server to reuse; by default one is started (and stopped) with the stack. */
  auth?: TestAuth;
  /** Clock skew the subgraphs allow on exp; default 5 s. */
  subgraphClockToleranceSeconds?: number;
  /** The subgraphs' dataset; default benchmark. */
  dataset?: DatasetName;
  /** Where the router reaches a subgraph, given its real URL (e.g. through a fault proxy); default the real URL. */
  routeSubgraph?: (name: string, url: string) => Promise<string>;
  /** The broker policy of the router and the subgraphs; default router/router.yaml's (the auth server's default too). */
  brokerCallers?: BrokerCallers;
  /** Wraps a subgraph's verifier (e.g. to revoke a token). */
  wrapVerifier?: (subgraph: string, verifier: TokenVerifier) => TokenVerifier;
  /** The router's logger (e.g. one that keeps its lines); default JSON lines on stderr. */
  logger?: Logger;
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
    received.push({ subgraph, authorization: req.headersDistinct.authorization ?? [], traceparent: req.headers.traceparent as string | undefined });
  const keys = remoteKeys(`${auth.issuer}/jwks`);
  const wrap = options.wrapVerifier ?? ((_name: string, verifier: TokenVerifier) => verifier);
  const data = loadDataset(options.dataset);
  const callers = options.brokerCallers ?? readBrokerCallers('router/router.yaml');
  // Each subgraph accepts delegations by the router and by the broker callers allowed to call it.
  const verifierFor = (name: string) =>
    createTokenVerifier({ issuer: auth.issuer, audience: name, clockToleranceSeconds: options.subgraphClockToleranceSeconds ?? 5, keys, acceptance: delegationAcceptance(name, callers) });
  // Each subgraph may call the others through the router's broker, as its own service client.
  const routerUrl = { value: '' };
  const brokerFor = (name: string) =>
    createBrokerClient({
      clientId: `${name}-service`,
      clientSecret: auth.secret(`${name}-service`),
      tokenEndpoint: `${auth.issuer}/token`,
      routerResource: 'urn:deputy:router',
      brokerUrl: () => routerUrl.value.replace(/\/graphql$/, '/delegate'),
    });
  const built = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, buildSubgraph(name, data, { broker: brokerFor(name) })])) as Record<SubgraphName, BuiltSubgraph>;
  const verifiers = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, verifierFor(name)])) as Record<SubgraphName, SubgraphTokenVerifier>;
  const subgraphs = await Promise.all(
    SUBGRAPH_NAMES.map((name) =>
      startSubgraph({
        name,
        schema: built[name].schema,
        host: '127.0.0.1',
        port: 0,
        observe: observe(name),
        verifier: wrap(name, verifiers[name]),
        // POST /events: the issuer's security events reach the unwrapped verifier's revocations.
        events: verifiers[name].events,
      }),
    ),
  );
  const routed = await Promise.all(subgraphs.map((subgraph) => options.routeSubgraph?.(subgraph.name, subgraph.url) ?? subgraph.url));
  const raw = {
    // The embedded stack's mode (npm start's too); production defaults have their own tests.
    mode: 'development',
    listen: { host: '127.0.0.1', port: 0 },
    supergraph: { sources: 'rover.yaml' },
    auth: { issuer: auth.issuer },
    exchange: { clientSecret: auth.secret('deputy-router') },
    subgraphs: Object.fromEntries(subgraphs.map((subgraph, i) => [subgraph.name, { url: routed[i], scopes: SCOPES[subgraph.name] }])),
    broker: { callers },
  };
  const config = parseRouterConfig(options.routerConfig ? options.routerConfig(raw) : raw, 'test router config');
  // With the postgres sink configured, the router writes there (read it from PostgreSQL); else in memory here.
  const audit = config.audit.sink === 'postgres' ? undefined : memoryAuditLog();
  let router: Awaited<ReturnType<typeof startRouter>>;
  try {
    router = await startRouter(config, { audit, logger: options.logger });
  } catch (error) {
    // Nothing started for this stack outlives a router that could not start (its port taken...).
    await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    if (!options.auth) await auth.stop();
    throw error;
  }
  routerUrl.value = router.url;
  return {
    auth,
    router,
    config,
    subgraphs,
    verifiers,
    received,
    audit: audit?.events ?? [],
    roles: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, built[name].roles])) as Record<SubgraphName, RoleStore>,
    built,
    data,
    async stop() {
      await router.stop();
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
      if (!options.auth) await auth.stop();
    },
  };
}
