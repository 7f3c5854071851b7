import type { RegistryStore, SchemaVersion } from '../../registry/store/registryStore.js';
import { sourcesOf } from '../../registry/operations/checkProposal.js';
import type { SchemaManager } from './schemaManager.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';

/** Serves `version` through the manager (validated, swapped atomically), unless a later one is served already. */
export function serveVersion(manager: SchemaManager, version: SchemaVersion): void {
  if ((manager.state.version ?? 0) >= version.version) return;
  manager.apply(version.supergraphSdl, sourcesOf(version), version.version);
}

/**
 * Keeps this router on the registry's current version: on every announcement (any router's
 * publish or rollback, and after the store reconnects) the current version is read and served.
 * A version this router cannot serve is reported and the running one kept.
 */
export function followRegistry(store: RegistryStore, manager: SchemaManager, errors: SwallowedErrors): Promise<() => Promise<void>> {
  const catchUp = () =>
    manager.serialize(async () => {
      try {
        const current = await store.current();
        errors.recovered('registry');
        if (!current) return;
        try {
          serveVersion(manager, current);
          errors.recovered('registry_version_invalid');
        } catch (error) {
          errors.failed('registry_version_invalid', new Error(`version ${current.version} cannot be served here, keeping ${manager.state.version}: ${(error as Error).message.split('\n')[0]}`));
        }
      } catch (error) {
        errors.failed('registry', error);
      }
    });
  return store.follow(() => void catchUp());
}

/**
 * Without a shared registry, what the router serves from elsewhere (its supergraph file, another
 * instance through Redis) becomes a `reload` version, so publishes compose against what is served.
 */
export function recordServedSupergraphs(store: RegistryStore, manager: SchemaManager, client: string, errors: SwallowedErrors): void {
  manager.onChange((state) => {
    if (state.version !== undefined) return;
    void store
      .current()
      .then((current) =>
        store.append(
          { action: 'reload', client, supergraphHash: state.hash, supergraphSdl: state.sdl, subgraphs: state.subgraphs.map(({ name, routingUrl, sdl }) => ({ name, routingUrl, sdl })), changes: [] },
          current?.version,
        ),
      )
      .catch((error: unknown) => errors.failed('registry', error));
  });
}
