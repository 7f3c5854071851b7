import { discoverIssuer } from '../../lib/discoverIssuer.js';
import { DEFAULT_ALGORITHMS, remoteKeys } from '../../lib/verifyAccessToken.js';
import { createRequestAuthenticator, type RequestAuthenticator } from './authenticateRequest.js';

/**
 * A subgraph process's authenticator from its environment: DEPUTY_ISSUER (default
 * http://127.0.0.1:4010), DEPUTY_<NAME>_AUDIENCE (default the subgraph's name). With
 * DEPUTY_SUBGRAPH_AUTH=off the subgraph accepts requests without a token (benchmark floor only).
 */
export async function authenticatorFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): Promise<RequestAuthenticator | undefined> {
  if (env.DEPUTY_SUBGRAPH_AUTH === 'off') return undefined;
  const issuer = env.DEPUTY_ISSUER ?? 'http://127.0.0.1:4010';
  const metadata = await discoverIssuer(issuer, 30_000);
  return createRequestAuthenticator({
    issuer,
    audience: env[`DEPUTY_${name.toUpperCase()}_AUDIENCE`] ?? name,
    algorithms: DEFAULT_ALGORITHMS,
    clockToleranceSeconds: 5,
    keys: remoteKeys(metadata.jwks_uri),
  });
}
