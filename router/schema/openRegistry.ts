import type { RouterConfig } from '../config/configSchema.js';
import type { SubgraphSource } from '../../registry/compose/composeSupergraph.js';
import { openPostgresRegistry } from '../../registry/store/postgresRegistryStore.js';
import { memoryRegistry } from '../../registry/store/memoryRegistryStore.js';
import { seedRegistry } from '../../registry/operations/seedRegistry.js';
import type { RegistryStore, SchemaVersion } from '../../registry/store/registryStore.js';
import { loadSupergraph, subgraphSources } from '../loadSupergraph.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';

/** Whether opening the registry failed because PostgreSQL could not be reached (worth waiting for), not because of the configuration. */
export function registryUnreachable(error: unknown): boolean {
  return (error as Error).message.startsWith('cannot open the schema registry') || (error as { code?: string }).code === 'REGISTRY_UNAVAILABLE';
}

/** The registry a router works with, and the version it starts on. */
export interface OpenedRegistry {
  store: RegistryStore;
  /** Shared with other routers (PostgreSQL): the store, not the supergraph file, is the truth. */
  shared: boolean;
  initial: SchemaVersion;
}

/**
 * Opens the schema registry: PostgreSQL when `registry.postgres.url` is set (every router of the
 * deployment starts on its current version, seeding version 1 from the configured supergraph if
 * it is empty), else memory seeded from the supergraph another instance shared through Redis or
 * the supergraph file (development only).
 */
export async function openRegistry(config: RouterConfig, errors: SwallowedErrors, shared?: { sdl: string; sources: SubgraphSource[] }): Promise<OpenedRegistry> {
  const { url, schema } = config.registry.postgres;
  const store = url ? await openPostgresRegistry({ url, schema, onError: (error) => errors.failed('registry', error) }) : memoryRegistry();
  try {
    const initial = await seedRegistry(
      store,
      config.exchange.clientId,
      () => shared?.sdl ?? loadSupergraph(config.supergraph),
      () => shared?.sources ?? subgraphSources(config.supergraph),
    );
    return { store, shared: Boolean(url), initial };
  } catch (error) {
    await store.close();
    throw error;
  }
}
