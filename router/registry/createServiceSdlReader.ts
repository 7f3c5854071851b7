import type { RouterConfig } from '../config/configSchema.js';
import { fetchServiceSdl, type FetchServiceSdlOptions } from '../../registry/checks/fetchServiceSdl.js';
import { ServiceSdlError } from '../../registry/checks/serviceSdlError.js';
import { serviceSdlTokensFor, type ServiceSdlTokens } from './serviceSdlTokens.js';

/** Reads a running subgraph's SDL at `routingUrl`, with the router's own token for that subgraph. */
export type ServiceSdlReader = (subgraphName: string, routingUrl: string, options?: Pick<FetchServiceSdlOptions, 'signal'>) => Promise<string>;

/** Whether a service refused the token itself (401): a cached token may have been revoked or its keys rotated. */
const tokenRefused = (error: unknown) => error instanceof ServiceSdlError && error.status === 401;

/**
 * The reader for one set of tokens: asks with the cached (or a new) token and, when the service
 * refuses a reused token with a 401, once more with a new one; a new token refused is final (as
 * the router's subgraph fetches do). `timeoutOf` gives each subgraph's fetch timeout.
 */
export function serviceSdlReader(tokens: ServiceSdlTokens, timeoutOf: (subgraph: string) => number | undefined, fetchSdl = fetchServiceSdl): ServiceSdlReader {
  return async (subgraph, routingUrl, options = {}) => {
    const fetchOptions = { timeoutMs: timeoutOf(subgraph), signal: options.signal };
    const first = await tokens.tokenFor(subgraph);
    try {
      return await fetchSdl(routingUrl, first.token, fetchOptions);
    } catch (error) {
      if (!first.reused || !tokenRefused(error)) throw error;
      tokens.forget(subgraph);
      return fetchSdl(routingUrl, (await tokens.tokenFor(subgraph)).token, fetchOptions);
    }
  };
}

/**
 * The registry's view of a running subgraph before a publish becomes current: its SDL, read with
 * a client-credentials token the router gets for the subgraph's audience (serviceSdlTokensFor),
 * within `subgraphs.<name>.timeoutMs`. Rejects with ServiceSdlError (SERVICE_UNREACHABLE,
 * SERVICE_REFUSED) or, when no token could be had, DELEGATION_DENIED / DELEGATION_UNAVAILABLE.
 */
export async function createServiceSdlReader(config: RouterConfig, discoveredTokenEndpoint: string): Promise<ServiceSdlReader> {
  const tokens = await serviceSdlTokensFor(config, discoveredTokenEndpoint);
  return serviceSdlReader(tokens, (subgraph) => (Object.hasOwn(config.subgraphs, subgraph) ? config.subgraphs[subgraph].timeoutMs : undefined));
}
