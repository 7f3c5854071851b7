import type { JWTVerifyGetKey } from 'jose';
import type { RouterConfig } from '../config/configSchema.js';
import type { IssuerMetadata } from '../../lib/discoverIssuer.js';
import type { RouteHandler } from '../../lib/http/createRoutedServer.js';
import { RevocationList } from '../../lib/securityEvents/revocationList.js';
import type { Revocation } from '../../lib/securityEvents/revocation.js';
import { nodeEventHandler } from '../../lib/securityEvents/nodeEventHandler.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { SharedRedis } from '../shared/sharedRedis.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';
import type { RouterMetrics } from '../observability/metrics.js';
import type { CleanupStack } from '../lifecycle/cleanupStack.js';
import type { EdgeRevocation, Introspection } from '../edge/authenticateCaller.js';
import { exchangeClientFor } from '../delegation/exchangeClientFor.js';
import { securityEventCounter } from './securityEventMetrics.js';
import { revocationAudit, type RevocationSource } from './revocationAudit.js';
import { shareRevocations } from './shareRevocations.js';
import { createIntrospection } from './createIntrospection.js';

/** What revocation needs from the router being started. */
export interface RevocationDeps {
  config: RouterConfig;
  /** The issuer's metadata and keys (the edge's): SETs are signed with them. */
  issuer: IssuerMetadata & { keys: JWTVerifyGetKey };
  redis: SharedRedis | undefined;
  audit: AuditLog;
  metrics: Pick<RouterMetrics, 'registry'>;
  errors: SwallowedErrors;
  cleanup: CleanupStack;
}

/** Revocation as the rest of the router uses it. */
export interface RouterRevocation {
  /** The revocations this instance knows: the token exchanger refuses and evicts by them. */
  list: RevocationList;
  /** What the edge checks beyond the token (authenticateCaller). */
  edge: EdgeRevocation;
  /** POST /events when `revocation.events.enabled`. */
  routes: Record<string, RouteHandler>;
}

/**
 * Starts revocation, in order: the list, the metric and the audit of each applied revocation;
 * with shared Redis, the fan-out to and from other instances, caught up before the router serves;
 * the SET receiver at POST /events; the introspection client when configured.
 */
export async function startRevocation(deps: RevocationDeps): Promise<RouterRevocation> {
  const { config, redis, errors } = deps;
  const { auth, revocation: settings } = config;
  const list = new RevocationList({ maxTokenLifetimeSeconds: settings.maxTokenLifetimeSeconds, maxEntries: settings.maxEntries, clockToleranceSeconds: auth.clockToleranceSeconds });
  const counter = securityEventCounter(deps.metrics.registry);
  const audit = revocationAudit(deps.audit);
  let dropped = 0;
  const record = (revocation: Revocation, source: RevocationSource): boolean => {
    const changed = list.record(revocation);
    if (list.dropped > dropped) counter.inc({ outcome: 'overflow' }, list.dropped - dropped);
    dropped = list.dropped;
    if (changed) audit(revocation, source);
    return changed;
  };

  const sharing =
    redis &&
    shareRevocations(redis, config.shared.keyPrefix, {
      keepMs: (settings.maxTokenLifetimeSeconds + auth.clockToleranceSeconds) * 1000,
      maxEntries: settings.maxEntries,
      apply: (revocation) => {
        if (record(revocation, 'shared')) counter.inc({ outcome: 'shared' });
      },
      errors,
    });
  if (sharing) {
    deps.cleanup.resource(sharing.stop);
    // An instance starting after an event refuses its tokens from its first request.
    if (redis.connected) await sharing.catchUp();
  }

  const routes: Record<string, RouteHandler> = {};
  if (settings.events.enabled) {
    routes['/events'] = nodeEventHandler({
      policy: { issuer: auth.issuer, audience: settings.events.audience ?? auth.audience, keys: deps.issuer.keys, algorithms: auth.algorithms, clockToleranceSeconds: auth.clockToleranceSeconds },
      maxBodyBytes: settings.events.maxBodyBytes,
      apply: async (revocation) => {
        const changed = record(revocation, 'push');
        // Told to the other instances before the transmitter hears 202 (while Redis answers).
        if (changed) await sharing?.share(revocation);
        return changed;
      },
      observe: ({ outcome }) => counter.inc({ outcome }),
    });
  }
  const introspection = settings.introspection.enabled ? await introspectionFor(config, deps.issuer) : undefined;
  return { list, edge: { revocations: list, introspection }, routes };
}

/** RFC 7662 introspection at the configured or discovered endpoint, authenticated as the router is at its token endpoint. */
async function introspectionFor(config: RouterConfig, issuer: IssuerMetadata): Promise<Introspection> {
  const { introspection } = config.revocation;
  const endpoint = introspection.endpoint ?? issuer.introspection_endpoint;
  if (!endpoint) throw new Error('revocation.introspection is enabled but the issuer names no introspection_endpoint: set revocation.introspection.endpoint');
  const { authenticate, transport } = await exchangeClientFor(config, endpoint);
  return createIntrospection(
    { endpoint, authenticate, transport, timeoutMs: introspection.timeoutMs },
    { issuer: config.auth.issuer, audience: config.auth.audience, clockToleranceSeconds: config.auth.clockToleranceSeconds },
    introspection.cacheSeconds,
  );
}
