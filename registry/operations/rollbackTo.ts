import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { registryRefusal } from '../registryRefusal.js';
import { VersionConflictError, type RegistryStore, type SchemaVersion } from '../store/registryStore.js';
import type { Actor, Composer } from '../registryTypes.js';
import { assertAdmin } from './mayChange.js';

/**
 * Rolls back to version `target`: a new version equal to it (its subgraph SDLs, routing URLs and
 * supergraph), with the changes that makes for clients. History is never rewritten. Admins only.
 */
export async function rollbackTo(store: RegistryStore, composer: Composer, actor: Actor, target: number): Promise<{ version: SchemaVersion; hashBefore: string }> {
  assertAdmin(actor, 'a rollback');
  const [current, restored] = await Promise.all([store.current(), store.version(target)]);
  if (!restored || !current) throw registryRefusal(404, ErrorCode.UNKNOWN_VERSION, `the registry has no version ${target}`, { current: current?.version });
  const changes = await composer.diff(current.supergraphSdl, restored.supergraphSdl);
  try {
    const version = await store.append(
      {
        action: 'rollback',
        client: actor.clientId,
        rollbackOf: restored.version,
        supergraphHash: restored.supergraphHash,
        supergraphSdl: restored.supergraphSdl,
        subgraphs: restored.subgraphs,
        changes,
      },
      current.version,
    );
    return { version, hashBefore: current.supergraphHash };
  } catch (error) {
    if (error instanceof VersionConflictError) throw registryRefusal(409, ErrorCode.VERSION_CONFLICT, error.message, { current: error.actual });
    throw error;
  }
}
