import { errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { discoverIssuer } from '../../lib/discoverIssuer.js';
import { remoteKeys, type IssuerKeys } from '../../lib/issuerKeys.js';

/**
 * The issuer's keys from the `jwks_uri` of its discovery document, found on first use rather
 * than at start-up (a subgraph may start before its issuer answers). A failed discovery refuses
 * that request (`keys_unavailable`) and the next one asks again.
 */
export function discoveredKeys(issuer: string): JWTVerifyGetKey {
  let keys: Promise<IssuerKeys> | undefined;
  const resolve = () =>
    (keys ??= discoverIssuer(issuer, 0).then(
      (metadata) => remoteKeys(metadata.jwks_uri),
      () => {
        keys = undefined;
        throw new joseErrors.JWKSInvalid('the issuer could not be discovered');
      },
    ));
  return async (header, token) => (await resolve())(header, token);
}
