import type { SharedRedis } from './shared/sharedRedis.js';
import type { RouterConfig } from './config/configSchema.js';
import { exchangeClientFor, requestScopesFor } from './delegation/exchangeClientFor.js';
import { TokenExchanger, type ExchangeObserver } from './delegation/tokenExchanger.js';
import { RedisTokenStore } from './delegation/redisTokenStore.js';
import type { SwallowedErrors } from './observability/swallowedErrors.js';
import type { RevocationList } from '../lib/securityEvents/revocationList.js';

/** The token exchanger for this router's configuration, the discovered token endpoint, the chosen cache and the issuer's revocations. */
export async function createTokenExchanger(
  config: RouterConfig,
  discoveredTokenEndpoint: string,
  redis: SharedRedis | undefined,
  observer: ExchangeObserver,
  errors: SwallowedErrors,
  revocations?: RevocationList,
): Promise<TokenExchanger> {
  const { exchange, shared } = config;
  const tokenEndpoint = exchange.tokenEndpoint ?? discoveredTokenEndpoint;
  const store =
    exchange.cache.backend === 'redis' && redis
      ? new RedisTokenStore(redis, shared.keyPrefix, Buffer.from(shared.tokenEncryptionKey!, 'base64'), exchange.cache.maxEntries, errors)
      : undefined;
  return new TokenExchanger({
    exchange: await exchangeClientFor(config, tokenEndpoint),
    requestScopes: requestScopesFor(config),
    cache: exchange.cache,
    circuitBreaker: exchange.circuitBreaker,
    store,
    observer,
    revocations,
  });
}
