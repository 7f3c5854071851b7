import type { RouterConfig } from '../config/configSchema.js';
import { fetchServiceSdl } from '../../registry/checks/fetchServiceSdl.js';
import type { ServiceSdlReader } from '../../registry/operations/publishProposal.js';
import { ServiceSdlError } from '../../registry/checks/serviceSdlError.js';
import { serviceSdlTokensFor, type ServiceSdlTokens } from './serviceSdlTokens.js';

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
 * within `subgraphs.<name>.timeoutMs`, at `subgraphs.<name>.url` when set (where this router reaches
 * it), else the routing URL. Rejects with ServiceSdlError (SERVICE_UNREACHABLE,
 * SERVICE_REFUSED) or, when no token could be had, DELEGATION_DENIED / DELEGATION_UNAVAILABLE.
 */
export async function createServiceSdlReader(config: RouterConfig, discoveredTokenEndpoint: string): Promise<ServiceSdlReader> {
  const tokens = await serviceSdlTokensFor(config, discoveredTokenEndpoint);
  const configured = (subgraph: string) => (Object.hasOwn(config.subgraphs, subgraph) ? config.subgraphs[subgraph] : undefined);
  const read = serviceSdlReader(tokens, (subgraph) => configured(subgraph)?.timeoutMs);
  return (subgraph, routingUrl, options) => read(subgraph, configured(subgraph)?.url ?? routingUrl, options);
}
