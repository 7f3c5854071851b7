import type { RouterConfig } from '../config/configSchema.js';
import { clientSecretBasic, clientSecretPost, privateKeyJwt, tlsClientAuth, type ClientAuthentication } from './clientAuthentication.js';
import { defaultDialect, type ExchangeDialect } from './exchangeDialect.js';
import type { ExchangeClient } from './exchangeToken.js';
import { mutualTlsTransport } from './tokenTransport.js';

/** The dialect router.yaml asks for: the profile's defaults, each key overridable. */
export function dialectFor(config: RouterConfig): ExchangeDialect {
  const defaults = defaultDialect(config.auth.profile);
  const { grant, targetParameter, requestedTokenType } = config.exchange;
  return { grant: grant ?? defaults.grant, targetParameter, requestedTokenType: requestedTokenType ?? defaults.requestedTokenType };
}

/** How the router authenticates at its token endpoint: as configured, else the profile's usual way. */
export function authMethodFor(config: RouterConfig): NonNullable<RouterConfig['exchange']['authMethod']> {
  return config.exchange.authMethod ?? (config.auth.profile === 'entra' ? 'client_secret_post' : 'client_secret_basic');
}

async function authenticationFor(config: RouterConfig, tokenEndpoint: string): Promise<ClientAuthentication> {
  const { exchange } = config;
  switch (authMethodFor(config)) {
    case 'client_secret_basic':
      return clientSecretBasic(exchange.clientId, exchange.clientSecret!);
    case 'client_secret_post':
      return clientSecretPost(exchange.clientId, exchange.clientSecret!);
    case 'private_key_jwt':
      return privateKeyJwt(exchange.clientId, exchange.privateKeyFile!, tokenEndpoint, exchange.certificateFile);
    case 'tls_client_auth':
      return tlsClientAuth(exchange.clientId);
  }
}

/** How the router reaches its token endpoint: where, authenticated how, over which transport, in which dialect. */
export async function exchangeClientFor(config: RouterConfig, tokenEndpoint: string): Promise<ExchangeClient> {
  const { exchange } = config;
  const transport =
    authMethodFor(config) === 'tls_client_auth'
      ? mutualTlsTransport({ certificateFile: exchange.certificateFile!, keyFile: exchange.certificateKeyFile!, caFile: exchange.caFile })
      : undefined;
  return { tokenEndpoint, clientId: exchange.clientId, authenticate: await authenticationFor(config, tokenEndpoint), timeoutMs: exchange.timeoutMs, transport, dialect: dialectFor(config) };
}

/** Which scopes exchanges ask for (router.yaml `exchange.requestScopes`): held by the user (the embedded server's default), or configured. */
export function requestScopesFor(config: RouterConfig): 'held' | 'configured' {
  return config.exchange.requestScopes ?? (config.auth.profile === 'rfc9068' ? 'held' : 'configured');
}
