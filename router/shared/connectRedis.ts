import { createClient, type RedisClientType } from 'redis';

/** Connects to the shared Redis, failing fast with a message that names the URL's host (never its password). */
export async function connectRedis(url: string): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
  client.on('error', () => undefined); // reconnects on its own; commands fail meanwhile and callers report that
  try {
    await client.connect();
  } catch (error) {
    const host = new URL(url).host;
    throw new Error(`cannot connect to Redis at ${host}: ${(error as Error).message}`);
  }
  return client;
}
