import type { SubgraphSource } from '../compose/composeSupergraph.js';
import { schemaHash } from '../compose/schemaHash.js';
import { VersionConflictError, type RegistryStore, type SchemaVersion } from '../store/registryStore.js';

/**
 * The version a router starts on: the registry's current one; for an empty registry, version 1
 * made of what the router was configured with (its supergraph and subgraph sources). Routers
 * starting together agree: one seeds, the others read what it seeded.
 */
export async function seedRegistry(store: RegistryStore, client: string, supergraphSdl: () => string, sources: () => SubgraphSource[]): Promise<SchemaVersion> {
  const current = await store.current();
  if (current) return current;
  const sdl = supergraphSdl();
  try {
    return await store.append(
      { action: 'initial', client, supergraphHash: schemaHash(sdl), supergraphSdl: sdl, subgraphs: sources().map(({ name, routingUrl, sdl: subgraphSdl }) => ({ name, routingUrl, sdl: subgraphSdl })), changes: [] },
      undefined,
    );
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    return (await store.current())!;
  }
}
