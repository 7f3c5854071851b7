import type { RouterConfig } from '../config/configSchema.js';
import { exchangeClientFor } from '../delegation/exchangeClientFor.js';
import { postTokenRequest, type ExchangeClient } from '../delegation/exchangeToken.js';
import { clientCredentialsBody, defaultDialect } from '../delegation/exchangeDialect.js';

/** The router's own token for one subgraph audience, to read the running service's SDL. */
export interface ServiceSdlTokens {
  /**
   * A token for `subgraph`'s audience: cached (`reused`), or joined while in flight, or requested.
   * Rejects with DELEGATION_DENIED or DELEGATION_UNAVAILABLE, as an exchange does.
   */
  tokenFor(subgraph: string): Promise<{ token: string; reused: boolean }>;
  /** Drops the cached token of `subgraph` (the service refused it): the next call requests a new one. */
  forget(subgraph: string): void;
}

interface Cached {
  token: string;
  /** When the cache stops handing it out (ms since epoch): `skewSeconds` before the token's exp. */
  until: number;
}

/**
 * Client-credentials tokens for subgraph audiences as the router's own client (`client`: the
 * token endpoint, the client authentication, transport and dialect of the exchanges), each cached
 * per audience until `skewSeconds` before it expires. Keys are audiences, never tokens.
 */
export function serviceSdlTokens(client: ExchangeClient, audienceOf: (subgraph: string) => string, skewSeconds: number, now: () => number = Date.now): ServiceSdlTokens {
  const cached = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<string>>();
  const request = async (subgraph: string, audience: string): Promise<string> => {
    const body = clientCredentialsBody(client.dialect ?? defaultDialect('rfc9068'), audience);
    const issued = await postTokenRequest(client, subgraph, body, []);
    const until = now() + (issued.expiresIn - skewSeconds) * 1000;
    // A token that lives less than the skew is used once, never cached.
    if (until > now()) cached.set(audience, { token: issued.token, until });
    return issued.token;
  };
  return {
    tokenFor(subgraph) {
      const audience = audienceOf(subgraph);
      const hit = cached.get(audience);
      if (hit && hit.until > now()) return Promise.resolve({ token: hit.token, reused: true });
      cached.delete(audience);
      let pending = inFlight.get(audience);
      if (!pending) {
        pending = request(subgraph, audience).finally(() => inFlight.delete(audience));
        inFlight.set(audience, pending);
      }
      return pending.then((token) => ({ token, reused: false }));
    },
    forget(subgraph) {
      cached.delete(audienceOf(subgraph));
    },
  };
}

/**
 * The router's SDL-reading tokens for its configuration: `subgraphs.<name>.audience` (default the
 * name), `exchange.tokenEndpoint` or the discovered one, the exchange's client authentication
 * (basic, post, private_key_jwt, tls) and target parameter, `exchange.cache.skewSeconds`.
 */
export async function serviceSdlTokensFor(config: RouterConfig, discoveredTokenEndpoint: string): Promise<ServiceSdlTokens> {
  const tokenEndpoint = config.exchange.tokenEndpoint ?? discoveredTokenEndpoint;
  const client = await exchangeClientFor(config, tokenEndpoint);
  const audienceOf = (subgraph: string) => (Object.hasOwn(config.subgraphs, subgraph) ? config.subgraphs[subgraph].audience : undefined) ?? subgraph;
  return serviceSdlTokens(client, audienceOf, config.exchange.cache.skewSeconds);
}
