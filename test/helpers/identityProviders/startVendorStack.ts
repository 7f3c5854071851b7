// The four demo subgraphs and the router, started against a vendor's fake identity provider
// instead of the embedded server: the subgraphs verify that vendor's tokens (its profile), the
// router speaks its exchange dialect.
import { SUBGRAPH_NAMES, type SubgraphName } from '../../../subgraphs/subgraphNames.js';
import { loadDataset } from '../../../subgraphs/data/datasets.js';
import { buildSubgraph } from '../../../subgraphs/buildSubgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../../subgraphs/lib/startSubgraph.js';
import { createTokenVerifier, type ProfileName } from '../../../subgraph-kit/index.js';
import { startRouter, type RunningRouter } from '../../../router/startRouter.js';
import { parseRouterConfig } from '../../../router/config/loadRouterConfig.js';
import { memoryAuditLog, type AuditEvent } from '../../../router/audit/auditLog.js';
import { startFakeIdentityProvider, type FakeIdentityProvider, type VendorDialect } from './fakeIdentityProvider.js';

/** The demo's scopes per subgraph: the subgraphs' rules ask for these. */
export const SUBGRAPH_SCOPES: Record<SubgraphName, string[]> = {
  accounts: ['accounts:read'],
  products: ['products:read'],
  inventory: ['inventory:read'],
  reviews: ['reviews:read'],
};

export interface VendorStack {
  idp: FakeIdentityProvider;
  router: RunningRouter;
  audit: AuditEvent[];
  stop(): Promise<void>;
}

export interface VendorSetup {
  dialect: VendorDialect;
  profile: ProfileName;
  /** The router's client id at the provider, and its secret. */
  routerClient: { id: string; secret: string };
  /** Each subgraph's audience at the provider. */
  audienceOf(subgraph: SubgraphName): string;
  /** Router configuration beyond the common part (auth.audience, exchange.authMethod...). */
  routerConfig: { auth: Record<string, unknown>; exchange?: Record<string, unknown> };
}

/** Starts the provider, the subgraphs verifying its tokens, and the router using it. */
export async function startVendorStack(setup: VendorSetup): Promise<VendorStack> {
  const idp = await startFakeIdentityProvider(setup.dialect, { [setup.routerClient.id]: setup.routerClient.secret });
  const data = loadDataset();
  const acceptance = { actors: [setup.routerClient.id], servicesAsThemselves: [], clientIsActor: true };
  const subgraphs: RunningSubgraph[] = await Promise.all(
    SUBGRAPH_NAMES.map((name) =>
      startSubgraph({
        name,
        schema: buildSubgraph(name, data).schema,
        host: '127.0.0.1',
        port: 0,
        verifier: createTokenVerifier({ issuer: idp.issuer, audience: setup.audienceOf(name), keys: idp.keys, profile: setup.profile, acceptance }),
      }),
    ),
  );
  const audit = memoryAuditLog();
  const config = parseRouterConfig(
    {
      mode: 'development',
      listen: { host: '127.0.0.1', port: 0 },
      auth: { issuer: idp.issuer, profile: setup.profile, ...setup.routerConfig.auth },
      exchange: { clientId: setup.routerClient.id, clientSecret: setup.routerClient.secret, ...setup.routerConfig.exchange },
      trace: { policy: 'always' },
      subgraphs: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, { url: subgraph.url, audience: setup.audienceOf(subgraph.name as SubgraphName), scopes: SUBGRAPH_SCOPES[subgraph.name as SubgraphName] }])),
    },
    `${setup.profile} router config`,
  );
  const router = await startRouter(config, { audit });
  return {
    idp,
    router,
    audit: audit.events,
    async stop() {
      await router.stop();
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
      await idp.stop();
    },
  };
}
