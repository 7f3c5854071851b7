import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SharedRedis } from '../shared/sharedRedis.js';
import type { CachedToken } from './tokenCache.js';
import { MemoryTokenStore, type TokenStore } from './tokenStore.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';

/**
 * Exchanged tokens shared by several router instances through Redis. Tokens are bearer
 * credentials, so values are sealed with AES-256-GCM (a fresh IV each, the key from config)
 * and Redis keys are SHA-256 hashes; entries expire in Redis when they would in memory. A
 * local LRU in front saves a round trip per request and keeps what this instance exchanged
 * while Redis is away; a Redis failure (down, slow past its timeout, breaker open) is a
 * cache miss, never a failed request (counted and logged as `token_store`).
 */
export class RedisTokenStore implements TokenStore {
  private readonly local: MemoryTokenStore;

  constructor(
    private readonly redis: SharedRedis,
    private readonly prefix: string,
    private readonly key: Buffer,
    maxEntries: number,
    private readonly errors: SwallowedErrors,
  ) {
    if (key.length !== 32) throw new Error('the token encryption key must be 32 bytes (base64)');
    this.local = new MemoryTokenStore(maxEntries);
  }

  async get(key: string): Promise<CachedToken | undefined> {
    const local = await this.local.get(key);
    if (local) return local;
    let sealed: string | null = null;
    try {
      sealed = await this.redis.run((client) => client.get(this.redisKey(key)));
      this.errors.recovered('token_store');
    } catch (error) {
      this.errors.failed('token_store', error);
      return undefined;
    }
    if (!sealed) return undefined;
    const entry = this.open(sealed);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    await this.local.set(key, entry);
    return entry;
  }

  async set(key: string, entry: CachedToken): Promise<void> {
    await this.local.set(key, entry);
    const ttl = entry.expiresAt - Date.now();
    if (ttl <= 0) return;
    await this.settle(this.redis.run((client) => client.set(this.redisKey(key), this.seal(entry), { PX: ttl })));
  }

  async delete(key: string): Promise<void> {
    await this.local.delete(key);
    await this.settle(this.redis.run((client) => client.del(this.redisKey(key))));
  }

  /**
   * Local copies only: Redis keys are hashes of the subject token, so its copies there cannot be
   * found by user or session; they lapse with their TTL, and the exchanger refuses to hand out a
   * token of a revoked subject whichever instance reads it.
   */
  deleteWhere(matches: (entry: CachedToken) => boolean): void {
    this.local.deleteWhere(matches);
  }

  size(): number {
    return this.local.size();
  }

  /** A write that may fail without failing the request: reported, then forgotten. */
  private async settle(write: Promise<unknown>): Promise<void> {
    await write.then(
      () => this.errors.recovered('token_store'),
      (error: unknown) => this.errors.failed('token_store', error),
    );
  }

  private redisKey(key: string): string {
    return `${this.prefix}token:${createHash('sha256').update(key).digest('hex')}`;
  }

  private seal(entry: CachedToken): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  private open(sealed: string): CachedToken | undefined {
    try {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as CachedToken;
    } catch {
      return undefined; // Another key, or tampered: a miss.
    }
  }
}
