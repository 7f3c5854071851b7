import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { SubgraphSource } from '../compose/composeSupergraph.js';
import type { SchemaManager } from '../schema/schemaManager.js';

/** The latest published supergraph in the shared store: SDL and the sources it was composed from. */
interface StoredSupergraph {
  sdl: string;
  sources: SubgraphSource[];
}

/** The latest supergraph stored by any instance, if any (a restarted instance starts on it). */
export async function readSharedSupergraph(redis: RedisClientType, prefix: string): Promise<StoredSupergraph | undefined> {
  const stored = await redis.get(`${prefix}supergraph`);
  return stored ? (JSON.parse(stored) as StoredSupergraph) : undefined;
}

/**
 * Keeps several router instances on one supergraph: every change here is stored in Redis and
 * announced on a channel; a change announced by another instance is read and applied here
 * (through the same SchemaManager, so it is validated and swapped atomically).
 */
export async function shareSupergraph(redis: RedisClientType, prefix: string, manager: SchemaManager): Promise<() => Promise<void>> {
  const instance = randomUUID();
  const channel = `${prefix}supergraph:changed`;
  let applyingRemote = false;
  manager.onChange((state) => {
    if (applyingRemote) return;
    const stored: StoredSupergraph = { sdl: state.sdl, sources: state.subgraphs };
    void redis
      .multi()
      .set(`${prefix}supergraph`, JSON.stringify(stored))
      .publish(channel, JSON.stringify({ instance, hash: state.hash }))
      .exec()
      .catch((error: Error) => console.error(`could not share the supergraph: ${error.message}`));
  });
  const subscriber = redis.duplicate();
  await subscriber.connect();
  await subscriber.subscribe(channel, (message) => {
    const { instance: from, hash } = JSON.parse(message) as { instance: string; hash: string };
    if (from === instance || hash === manager.state.hash) return;
    void manager.serialize(async () => {
      const stored = await readSharedSupergraph(redis, prefix);
      if (!stored) return;
      applyingRemote = true;
      try {
        manager.apply(stored.sdl, stored.sources);
      } catch (error) {
        console.error(`shared supergraph ${hash} is invalid here, keeping ${manager.state.hash}: ${(error as Error).message.split('\n')[0]}`);
      } finally {
        applyingRemote = false;
      }
    });
  });
  return async () => {
    await subscriber.unsubscribe(channel);
    await subscriber.quit();
  };
}
