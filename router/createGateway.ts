import { ApolloGateway } from '@apollo/gateway';
import { disableGatewayTelemetry } from '../lib/apollo/noPhoningHome.js';
import { subgraphSchema, type SubgraphConfig } from './config/configSchema.js';
import type { RouterContext } from './routerContext.js';
import type { TokenExchanger } from './delegation/tokenExchanger.js';
import type { SubgraphDelegation } from './delegation/checkDelegationPolicy.js';
import { DelegatingDataSource, type DelegatingDataSourceOptions } from './delegation/DelegatingDataSource.js';
import { plannedSubgraphs } from './delegation/plannedSubgraphs.js';
import { prefetchToken } from './delegation/requestToken.js';
import { own } from '../lib/own.js';
import { isRefusal } from '../lib/errors/RefusalError.js';
import type { SwallowedErrors } from './observability/swallowedErrors.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Per-subgraph settings from router.yaml; a subgraph not listed gets the defaults. */
  subgraphs: Record<string, SubgraphConfig>;
  exchanger: TokenExchanger;
  onFetch?: DelegatingDataSourceOptions['onFetch'];
  onResponse?: DelegatingDataSourceOptions['onResponse'];
  /** `traffic.deduplicateFetches`: identical query fetches in flight share one HTTP request, unless a subgraph says otherwise. */
  deduplicateFetches: boolean;
  onDeduplicated?: DelegatingDataSourceOptions['onDeduplicated'];
  errors: SwallowedErrors;
}

/** A subgraph router.yaml does not name: the schema's defaults. */
const DEFAULT_SUBGRAPH: SubgraphConfig = subgraphSchema.parse({});

/** The delegation policy of one subgraph: its audience (default: its name) and what it may receive. */
export function delegationFor(name: string, config: SubgraphConfig | undefined): SubgraphDelegation {
  const settings = config ?? DEFAULT_SUBGRAPH;
  return { audience: settings.audience ?? name, scopes: settings.scopes, allowedClients: settings.allowedClients, entraScope: settings.scope };
}

/** A subgraph as the router reaches it (filled in when the gateway loads the supergraph). */
export interface RegisteredSubgraph {
  url: string;
  audience: string;
  /** The largest response it may send (brokered calls are capped like fetches). */
  maxResponseBytes: number;
}

/**
 * Builds the @apollo/gateway whose every subgraph fetch carries a token exchanged for that
 * subgraph, and the registry of subgraphs it knows (the broker's targets).
 */
export function createGateway(options: GatewayOptions): {
  gateway: ApolloGateway;
  subgraphs: Map<string, RegisteredSubgraph>;
  /** Swaps the served supergraph atomically (in-flight requests finish on the old one); throws if it is invalid. */
  update: (supergraphSdl: string) => void;
} {
  const delegations = new Map<string, SubgraphDelegation>();
  const subgraphs = new Map<string, RegisteredSubgraph>();
  let update: ((supergraphSdl: string) => void) | undefined;
  disableGatewayTelemetry();
  const gateway = new ApolloGateway({
    // The function form hands us the gateway's own update callback for hot reloads.
    supergraphSdl: async ({ update: gatewayUpdate }) => {
      update = gatewayUpdate;
      return { supergraphSdl: options.supergraphSdl };
    },
    buildService: ({ name, url }) => {
      const settings = own(options.subgraphs, name) ?? DEFAULT_SUBGRAPH;
      const delegation = delegationFor(name, own(options.subgraphs, name));
      delegations.set(name, delegation);
      subgraphs.set(name, { url: settings.url ?? url!, audience: delegation.audience, maxResponseBytes: settings.maxResponseBytes });
      return new DelegatingDataSource({
        name,
        url: settings.url ?? url!,
        timeoutMs: settings.timeoutMs,
        maxResponseBytes: settings.maxResponseBytes,
        delegation,
        exchanger: options.exchanger,
        onFetch: options.onFetch,
        onResponse: options.onResponse,
        deduplicate: settings.deduplicate ?? options.deduplicateFetches,
        onDeduplicated: options.onDeduplicated,
      });
    },
    // Once the plan is known, start the exchanges for every subgraph it will fetch, side by
    // side, instead of one after another along the plan's sequence (and hand it to a trace that asked for it).
    experimental_didResolveQueryPlan: ({ queryPlan, requestContext }) => {
      const context = requestContext.context as RouterContext;
      context.trace?.planned(queryPlan);
      if (!context.caller) return;
      for (const name of plannedSubgraphs(queryPlan)) {
        const delegation = delegations.get(name);
        if (!delegation) continue;
        // A refusal reaches the fetch that awaits it and the audit; anything else is a fault, reported here.
        void prefetchToken(context.subgraphTokens, { caller: context.caller, subgraph: name, delegation, exchanger: options.exchanger, report: context.reportDelegation, spans: context.spans, traceId: context.traceId }).then(
          () => options.errors.recovered('token_prefetch'),
          (error: unknown) => (isRefusal(error) ? undefined : options.errors.failed('token_prefetch', error)),
        );
      }
    },
  });
  return {
    gateway,
    subgraphs,
    update: (supergraphSdl) => {
      if (!update) throw new Error('the gateway has not loaded yet');
      update(supergraphSdl);
    },
  };
}
