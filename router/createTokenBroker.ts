import type { SharedRedis } from './shared/sharedRedis.js';
import type { RouterConfig } from './config/configSchema.js';
import { exchangeClientFor, requestScopesFor } from './delegation/exchangeClientFor.js';
import { TokenBroker, type BrokerObserver } from './delegation/tokenBroker.js';
import { RedisTokenStore } from './delegation/redisTokenStore.js';

/** The token broker for this router's configuration, the discovered token endpoint and the chosen cache. */
export async function createTokenBroker(config: RouterConfig, discoveredTokenEndpoint: string, redis: SharedRedis | undefined, observer: BrokerObserver): Promise<TokenBroker> {
  const { exchange, shared } = config;
  const tokenEndpoint = exchange.tokenEndpoint ?? discoveredTokenEndpoint;
  const store =
    exchange.cache.backend === 'redis' && redis
      ? new RedisTokenStore(redis, shared.keyPrefix, Buffer.from(shared.tokenEncryptionKey!, 'base64'), exchange.cache.maxEntries)
      : undefined;
  return new TokenBroker({
    exchange: await exchangeClientFor(config, tokenEndpoint),
    requestScopes: requestScopesFor(config),
    cache: exchange.cache,
    circuitBreaker: exchange.circuitBreaker,
    store,
    observer,
  });
}
