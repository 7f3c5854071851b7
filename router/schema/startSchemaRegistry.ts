import type { RouterConfig } from '../config/configSchema.js';
import type { RouteHandler } from '../../lib/http/createRoutedServer.js';
import { durationMs } from '../../lib/duration.js';
import { CompositionThread } from '../../registry/compose/compositionThread.js';
import { createSchemaRegistry } from '../../registry/schemaRegistry.js';
import type { AccessTokenPolicy } from '../../lib/verifyAccessToken.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { CleanupStack } from '../lifecycle/cleanupStack.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';
import type { Logger } from '../observability/createLogger.js';
import { registryRoutes } from '../admin/registryRoutes.js';
import { UsageRecorder } from '../usage/usageRecorder.js';
import type { ServiceSdlReader } from '../../registry/operations/publishProposal.js';
import type { SchemaManager } from './schemaManager.js';
import { followRegistry, recordServedSupergraphs, serveVersion } from './followRegistry.js';
import type { OpenedRegistry } from './openRegistry.js';

export interface SchemaRegistryParts {
  config: RouterConfig;
  opened: OpenedRegistry;
  schema: SchemaManager;
  /** Token rules of the admin audience. */
  adminToken: AccessTokenPolicy;
  readServiceSdl: ServiceSdlReader;
  audit: AuditLog;
  errors: SwallowedErrors;
  logger: Logger;
  cleanup: CleanupStack;
}

/** The registry's usage recorder, flushing to its store; none when `registry.usage.enabled` is off. */
export function startUsageRecorder(config: RouterConfig, opened: OpenedRegistry, errors: SwallowedErrors, logger: Logger, cleanup: CleanupStack): UsageRecorder | undefined {
  if (!config.registry.usage.enabled) return undefined;
  const recorder = new UsageRecorder({
    sink: opened.store,
    maxKeys: config.registry.usage.maxKeys,
    flushIntervalMs: config.registry.usage.flushIntervalMs,
    onDropped: (dropped, maxKeys) => logger.warn({ dropped, maxKeys }, 'field usage beyond registry.usage.maxKeys was not recorded'),
    onFlushError: (error) => errors.failed('usage_flush', error),
  });
  cleanup.resource(() => recorder.stop().catch((error: unknown) => errors.failed('usage_flush', error)));
  return recorder;
}

/**
 * The schema registry in a running router: the composition thread, the registry's operations,
 * following the shared store (or recording what is served without one) and the admin routes.
 */
export async function startSchemaRegistry(parts: SchemaRegistryParts, usage: UsageRecorder | undefined): Promise<Record<string, RouteHandler>> {
  const { config, opened, schema, errors, cleanup } = parts;
  const composer = new CompositionThread();
  cleanup.resource(() => composer.close());
  if (opened.shared) cleanup.resource(await followRegistry(opened.store, schema, errors));
  else recordServedSupergraphs(opened.store, schema, config.exchange.clientId, errors);
  const registry = createSchemaRegistry({
    store: opened.store,
    composer,
    usageWindowMs: durationMs(config.registry.usage.window),
    flushUsage: usage && (() => usage.flush().catch((error: unknown) => errors.failed('usage_flush', error))),
    readServiceSdl: config.registry.deployCheck ? parts.readServiceSdl : undefined,
  });
  const policy = { token: parts.adminToken, publishScope: config.admin.publishScope, adminScope: config.admin.adminScope, teams: config.admin.teams };
  return registryRoutes(registry, policy, parts.audit, (version) => schema.serialize(async () => serveVersion(schema, version)));
}
