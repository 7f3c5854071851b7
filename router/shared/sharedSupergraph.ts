import { randomUUID } from 'node:crypto';
import type { SubgraphSource } from '../../registry/compose/composeSupergraph.js';
import type { SchemaManager } from '../schema/schemaManager.js';
import type { SharedRedis } from './sharedRedis.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';

/** The latest published supergraph in the shared store: SDL and the sources it was composed from. */
interface StoredSupergraph {
  sdl: string;
  sources: SubgraphSource[];
}

/** The latest supergraph stored by any instance, if any (a restarted instance starts on it); undefined when Redis is away. */
export async function readSharedSupergraph(redis: SharedRedis, prefix: string, errors: SwallowedErrors): Promise<StoredSupergraph | undefined> {
  const stored = await redis.run((client) => client.get(`${prefix}supergraph`)).then(
    (value) => {
      errors.recovered('supergraph_share');
      return value;
    },
    (error: unknown) => {
      errors.failed('supergraph_share', error);
      return null;
    },
  );
  return stored ? (JSON.parse(stored) as StoredSupergraph) : undefined;
}

/**
 * Keeps several router instances on one supergraph: every change here is stored in Redis and
 * announced on a channel; a change announced by another instance is read and applied here
 * (through the same SchemaManager, so it is validated and swapped atomically). Redis may go
 * away: a change made here meanwhile is stored when it returns, and after every reconnection
 * the stored supergraph is read again, so no announcement missed while away is lost.
 */
export function shareSupergraph(redis: SharedRedis, prefix: string, manager: SchemaManager, errors: SwallowedErrors): () => Promise<void> {
  const instance = randomUUID();
  const channel = `${prefix}supergraph:changed`;
  let applyingRemote = false;
  let unshared: StoredSupergraph | undefined;

  const share = async (stored: StoredSupergraph, hash: string) => {
    try {
      await redis.run((client) => client.multi().set(`${prefix}supergraph`, JSON.stringify(stored)).publish(channel, JSON.stringify({ instance, hash })).exec());
      unshared = undefined;
      errors.recovered('supergraph_share');
    } catch (error) {
      unshared = stored;
      errors.failed('supergraph_share', new Error(`could not share supergraph ${hash} (will when Redis is back): ${(error as Error).message}`));
    }
  };
  const applyStored = () =>
    manager.serialize(async () => {
      const stored = await readSharedSupergraph(redis, prefix, errors);
      if (!stored || stored.sdl === manager.state.sdl) return;
      applyingRemote = true;
      try {
        manager.apply(stored.sdl, stored.sources);
        errors.recovered('shared_supergraph_invalid');
      } catch (error) {
        errors.failed('shared_supergraph_invalid', new Error(`shared supergraph is invalid here, keeping ${manager.state.hash}: ${(error as Error).message.split('\n')[0]}`));
      } finally {
        applyingRemote = false;
      }
    });

  manager.onChange((state) => {
    if (!applyingRemote) void share({ sdl: state.sdl, sources: state.subgraphs }, state.hash);
  });
  redis.onReconnect(() => {
    // What changed here while Redis was away wins over what was stored before; else catch up.
    if (unshared) void share(unshared, manager.state.hash);
    else void applyStored();
  });
  return redis.follow(channel, (message) => {
    let announced: { instance?: string; hash?: string };
    try {
      announced = JSON.parse(message) as { instance?: string; hash?: string };
    } catch (error) {
      errors.failed('supergraph_announcement', error); // not from a router of this fleet
      return;
    }
    if (announced.instance === instance || announced.hash === manager.state.hash) return;
    void applyStored();
  }, () => void applyStored());
}
