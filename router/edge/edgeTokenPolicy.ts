import type { JWTVerifyGetKey } from 'jose';
import type { RouterConfig } from '../config/configSchema.js';
import type { AccessTokenPolicy } from '../../lib/verifyAccessToken.js';
import { tokenProfile } from '../../lib/tokenProfile.js';

/** What a user's token must be at the router's edge: router.yaml `auth`, read through its issuer's token profile. */
export function edgeTokenPolicy(auth: RouterConfig['auth'], keys: JWTVerifyGetKey): AccessTokenPolicy {
  return {
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.algorithms,
    clockToleranceSeconds: auth.clockToleranceSeconds,
    keys,
    profile: tokenProfile(auth.profile, { claims: auth.claims, tokenType: auth.tokenType }),
  };
}
