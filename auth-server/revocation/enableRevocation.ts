import type Provider from 'oidc-provider';
import { createLocalJWKSet } from 'jose';
import { SIGNING_ALG, publicJwksOf } from '../signingKeys.js';
import type { RevocationDeps } from './announceSessionRevoked.js';
import { followGrants } from './followGrants.js';
import { revocationEndpoint } from './revocationEndpoint.js';
import { SessionIndex } from './sessionIndex.js';

/**
 * Wires revocation into a provider: the revocation endpoint's JWT handling, the sid index and the
 * announcement of every grant oidc-provider revokes (logout included).
 */
export function enableRevocation(provider: Provider, deps: RevocationDeps & { signingJwks: { keys: object[] }; sessionTtlSeconds: number }): void {
  const index = new SessionIndex(deps.sessionTtlSeconds);
  // Our own tokens, verified with our own keys on our own clock, as the token exchange does.
  const verify = { issuer: deps.issuer, keys: createLocalJWKSet(publicJwksOf(deps.signingJwks)), algorithms: [SIGNING_ALG], clockToleranceSeconds: 0 };
  provider.use(revocationEndpoint({ ...deps, provider, index, verify }));
  followGrants(provider, index, deps);
}
