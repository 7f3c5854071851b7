import type { RouterConfig } from './config/configSchema.js';
import { clientSecretBasic, privateKeyJwt, type ClientAuthentication } from './delegation/clientAuthentication.js';
import { TokenBroker } from './delegation/tokenBroker.js';

/** The token broker for this router's configuration and the discovered token endpoint. */
export async function createTokenBroker(exchange: RouterConfig['exchange'], discoveredTokenEndpoint: string): Promise<TokenBroker> {
  const tokenEndpoint = exchange.tokenEndpoint ?? discoveredTokenEndpoint;
  const authenticate: ClientAuthentication =
    exchange.authMethod === 'private_key_jwt'
      ? await privateKeyJwt(exchange.clientId, exchange.privateKeyFile!, tokenEndpoint)
      : clientSecretBasic(exchange.clientId, exchange.clientSecret!);
  return new TokenBroker({
    exchange: { tokenEndpoint, authenticate, timeoutMs: exchange.timeoutMs },
    cache: exchange.cache,
    circuitBreaker: exchange.circuitBreaker,
  });
}
