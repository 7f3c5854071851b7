import { createClient, type RedisClientType } from 'redis';

/** Redis is down, slow or its breaker is open: callers fall back to local state. */
export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
}

export interface SharedRedisOptions {
  url: string;
  /** Longest wait for one command (shared.commandTimeoutMs). */
  commandTimeoutMs: number;
  /** Consecutive failures that open the breaker, and how long it stays open. */
  breaker: { failures: number; openMs: number };
  /** Told of each change between up and down, with the reason (never the URL's password). */
  onStateChange?: (state: 'up' | 'down', detail: string) => void;
}

/**
 * The Redis that several router instances share, made safe to depend on: every client (the
 * main one and each subscriber) handles its errors, commands never queue while Redis is away
 * (the offline queue is off) and each has a timeout, a breaker makes a down Redis cost nothing
 * after the first failures, and the router starts and serves while Redis is absent,
 * connecting when it appears. Listeners hear each (re)connection, to resynchronize.
 */
export class SharedRedis {
  readonly client: RedisClientType;
  private up = false;
  private failures = 0;
  private openUntil = 0;
  private lastError = '';
  private readonly reconnected: (() => void)[] = [];
  private readonly host: string;

  constructor(private readonly options: SharedRedisOptions) {
    this.host = new URL(options.url).host;
    this.client = this.newClient();
    this.client.on('ready', () => this.changed(true, 'connected'));
    this.client.on('end', () => this.changed(false, 'connection closed'));
  }

  /** Starts connecting; resolves once connected or after `waitMs`, whichever is first (the router does not wait for Redis). */
  async start(waitMs: number): Promise<void> {
    const connecting = this.client.connect().catch(() => undefined);
    await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  /** Runs commands unless the breaker is open; a failure counts towards opening it and is RedisUnavailableError. */
  async run<T>(commands: (client: RedisClientType) => Promise<T>): Promise<T> {
    if (!this.up || Date.now() < this.openUntil) throw new RedisUnavailableError(this.up ? 'Redis breaker open' : `Redis at ${this.host} is not connected`);
    let timer: NodeJS.Timeout | undefined;
    // node-redis's own timeout covers a command not yet written only: a stalled Redis is bounded here.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.commandTimeoutMs} ms`)), this.options.commandTimeoutMs);
    });
    try {
      const result = await Promise.race([commands(this.client), timeout]);
      this.failures = 0;
      return result;
    } catch (error) {
      this.lastError = (error as Error).message;
      if (++this.failures >= this.options.breaker.failures) {
        this.openUntil = Date.now() + this.options.breaker.openMs;
        this.failures = 0;
      }
      throw new RedisUnavailableError(`Redis command failed: ${this.lastError}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Follows a channel on a client of its own (errors handled). It subscribes as soon as that
   * client is connected, however late Redis appears, and the client resubscribes after each
   * reconnection by itself; `subscribed` is called after each. Returns the way to stop.
   */
  follow(channel: string, listener: (message: string) => void, subscribed?: () => void): () => Promise<void> {
    const client = this.client.duplicate();
    client.on('error', (error: Error) => (this.lastError = error.message));
    let following = false;
    // After the first subscription and each resubscription, `subscribed` lets the caller catch up
    // on what was announced while it was not listening (at start-up, or during an outage).
    client.on('ready', () => {
      if (following) subscribed?.();
      else
        client.subscribe(channel, listener).then(
          () => {
            following = true;
            subscribed?.();
          },
          () => undefined,
        );
    });
    void client.connect().catch(() => undefined);
    return async () => {
      await client.close().catch(() => undefined);
    };
  }

  /** Called after every (re)connection, not the first one only. */
  onReconnect(listener: () => void): void {
    this.reconnected.push(listener);
  }

  /** For /health/ready: up or down, and why. */
  health(): { status: 'up' | 'down'; detail?: string } {
    if (!this.up) return { status: 'down', detail: this.lastError || 'not connected' };
    if (Date.now() < this.openUntil) return { status: 'down', detail: `breaker open after: ${this.lastError}` };
    return { status: 'up' };
  }

  get connected(): boolean {
    return this.up;
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }

  private newClient(): RedisClientType {
    const client: RedisClientType = createClient({
      url: this.options.url,
      disableOfflineQueue: true,
      commandOptions: { timeout: this.options.commandTimeoutMs },
      socket: { connectTimeout: Math.max(1000, this.options.commandTimeoutMs * 4), reconnectStrategy: (retries) => Math.min(100 * 2 ** Math.min(retries, 5), 2000) },
    });
    // Without a listener an 'error' event ends the process: every outage is reported here instead.
    client.on('error', (error: Error) => {
      this.lastError = error.message;
      if (this.up) this.changed(false, error.message);
    });
    return client;
  }

  private changed(up: boolean, detail: string): void {
    if (this.up === up) return;
    this.up = up;
    this.options.onStateChange?.(up ? 'up' : 'down', up ? `Redis at ${this.host} ${detail}` : `Redis at ${this.host} unavailable: ${detail}`);
    if (up) {
      this.failures = 0;
      this.openUntil = 0;
      for (const listener of this.reconnected) listener();
    }
  }
}
