import type { JWTVerifyGetKey } from 'jose';
import { DEFAULT_ALGORITHMS, remoteKeys, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';
import { tokenProfile, type ProfileName, type TokenProfile } from '../../lib/tokenProfile.js';
import { checkDelegation, type DelegationAcceptance } from '../../lib/checkDelegation.js';
import { VerifiedTokenCache } from '../../lib/verifiedTokenCache.js';
import { tokenKey } from '../../lib/tokenKey.js';
import { deputyIdentity, type DeputyIdentity } from '../context/deputyContext.js';
import { discoveredKeys } from './discoveredKeys.js';
import { tokenFromCredential, type Credential } from './tokenFromCredential.js';
import { isSdlReader } from './isSdlReader.js';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import { RevocationList } from '../../lib/securityEvents/revocationList.js';
import { revokes } from '../../lib/securityEvents/revocation.js';
import { createEventReceiver, type SecurityEventReceiver } from '../events/createEventReceiver.js';

/** How one subgraph verifies the tokens it receives. */
export interface TokenVerifierOptions {
  /** The issuer, exactly as tokens name it in `iss`. */
  issuer: string;
  /** This subgraph's audience (or several names of it): a token for any other is refused. */
  audience: string | string[];
  /** The issuer's token profile: `rfc9068` (default), `keycloak`, `entra`, `okta`, `auth0`, or one of your own. */
  profile?: ProfileName | TokenProfile;
  /** The issuer's JWKS; default the `jwks_uri` of `<issuer>/.well-known/openid-configuration`, read on first use. */
  jwksUri?: string;
  /** The keys themselves (a jose key function, e.g. `createLocalJWKSet`): for tests, or keys you fetch yourself. */
  keys?: JWTVerifyGetKey;
  /** Accepted signature algorithms; default ES256, RS256, PS256, EdDSA (never `none`, never HMAC). */
  algorithms?: string[];
  /** Clock skew allowed on `exp`, `nbf` and `iat`; default 5 seconds. */
  clockToleranceSeconds?: number;
  /**
   * Who may have delegated the token (lib/checkDelegation); default the router's client,
   * `deputy-router`, as the most recent actor. `false` accepts any valid token for the
   * audience, delegated or not: only to compare with forwarding, never as a policy.
   */
  acceptance?: DelegationAcceptance | false;
  /**
   * Clients whose own token (no `act`, `sub` = the client) is accepted as an SDL reader, marked
   * `sdlReaderOnly`, that may read `{ _service { sdl } }` and nothing else (the adapters enforce
   * it): the registry checks a running service's schema before a publish. Default the router's
   * client, `['deputy-router']`; `[]` refuses such tokens as `not_delegated`, like any other.
   */
  sdlReaders?: string[];
  /** Most verified tokens kept; default 10,000. */
  cacheSize?: number;
  /** How revocations the issuer pushes (`events`) are kept. */
  revocation?: {
    /** The longest any token of the issuer lives, in seconds: a revocation is kept this long. Default 86,400 (a day). */
    maxTokenLifetimeSeconds?: number;
    /** Most revocations held; default 100,000. */
    maxEntries?: number;
    /** Largest SET accepted by `events`; default 64 KiB. */
    maxEventBytes?: number;
  };
}

/** Verifies a subgraph's tokens: `verify` resolves the caller or rejects with InvalidTokenError. */
export interface TokenVerifier {
  /** The caller of a token or Authorization header value; rejects with InvalidTokenError (a stable `reason`). */
  verify(credential: Credential): Promise<DeputyIdentity>;
}

/** What createTokenVerifier returns: a verifier whose tokens the issuer can revoke. */
export interface SubgraphTokenVerifier extends TokenVerifier {
  /**
   * The issuer's revocations, consulted on every verification (cached tokens included): a
   * revoked token is refused with `token_revoked`. `events` records into it; `record` one yourself.
   */
  readonly revocations: RevocationList;
  /** The receiver of the issuer's pushed security events (RFC 8935) for this audience: serve it at POST /events. */
  readonly events: SecurityEventReceiver;
}

const ROUTER_CLIENT = 'deputy-router';
const ROUTER_ONLY: DelegationAcceptance = { actors: [ROUTER_CLIENT], servicesAsThemselves: [] };

/**
 * A verifier for one subgraph audience, refusing with the router's stable reasons
 * (`missing_token`, `not_bearer`, `wrong_audience`, `not_delegated`, `token_revoked`...). A token
 * is verified once and then served from a cache keyed by its hash until its `exp`, unless the
 * issuer revokes it (its security events, received by `events`, evict it).
 */
export function createTokenVerifier(options: TokenVerifierOptions): SubgraphTokenVerifier {
  const profile = typeof options.profile === 'object' ? options.profile : tokenProfile(options.profile);
  const policy: AccessTokenPolicy = {
    issuer: options.issuer,
    audience: options.audience,
    profile,
    algorithms: options.algorithms ?? DEFAULT_ALGORITHMS,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 5,
    keys: options.keys ?? (options.jwksUri ? remoteKeys(options.jwksUri) : discoveredKeys(options.issuer)),
  };
  // Another provider's exchanged tokens carry no act: the client they were issued to (the router) is the actor.
  const declared = options.acceptance === false ? undefined : (options.acceptance ?? ROUTER_ONLY);
  const clientIsActor = declared?.clientIsActor ?? profile.name !== 'rfc9068';
  const acceptance = declared && { ...declared, clientIsActor };
  const readers = options.sdlReaders ?? [ROUTER_CLIENT];
  // Only where delegation is checked: with `acceptance: false` every token is a full caller anyway.
  const reader = (verified: VerifiedToken) => acceptance !== undefined && isSdlReader(verified, readers, acceptance);
  const cache = new VerifiedTokenCache(options.cacheSize);
  const revocations = new RevocationList({
    maxTokenLifetimeSeconds: options.revocation?.maxTokenLifetimeSeconds ?? 86_400,
    maxEntries: options.revocation?.maxEntries,
    clockToleranceSeconds: policy.clockToleranceSeconds,
  });
  revocations.onRevoke((revocation) => cache.deleteWhere((token) => revokes(revocation, token)));
  const events = createEventReceiver({
    policy: { issuer: policy.issuer, audience: options.audience, keys: policy.keys, algorithms: policy.algorithms, clockToleranceSeconds: policy.clockToleranceSeconds },
    revocations,
    maxBodyBytes: options.revocation?.maxEventBytes,
  });
  return {
    revocations,
    events,
    async verify(credential) {
      const token = tokenFromCredential(credential);
      // Non-canonical spellings are refused here; a respelled signature shares its twin's entry.
      const key = tokenKey(token);
      let verified = cache.get(key);
      if (!verified) {
        verified = await verifyAccessToken(token, policy);
        if (acceptance && !reader(verified)) checkDelegation(verified, acceptance);
        cache.set(key, verified);
      }
      // Every time, a cached token too: the issuer may have revoked it since it was verified.
      if (revocations.isRevoked(verified)) throw new InvalidTokenError('token_revoked');
      const identity = deputyIdentity(verified, token, clientIsActor);
      // No user stands behind a reader: no scope of its token counts for any rule.
      return reader(verified) ? { ...identity, scopes: [], sdlReaderOnly: true } : identity;
    },
  };
}
