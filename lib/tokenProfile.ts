import type { JWTPayload } from 'jose';

/**
 * Where an identity provider puts what Deputy reads from an access token. RFC 9068 fixes
 * these for the embedded server; Keycloak, Entra ID, Okta and Auth0 each put them elsewhere
 * (identity-providers-and-cost.md in the reference, and each vendor's token reference).
 */
export interface TokenProfile {
  name: ProfileName;
  /** Accepted `typ` header values (compared case-insensitively, `application/` prefix optional); null accepts a token without `typ`. */
  types: (string | null)[];
  /** The claims naming the client the token was issued to, first present wins. */
  clientId: string[];
  /** The claims holding granted scopes: a space-separated string or an array of strings; all present are merged. */
  scopes: string[];
  /** The claims holding the token's unique id, first present wins. */
  tokenId: string[];
  /** The claim naming the user. */
  subject: string;
}

export const PROFILE_NAMES = ['rfc9068', 'keycloak', 'entra', 'okta', 'auth0'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const PROFILES: Record<ProfileName, TokenProfile> = {
  // RFC 9068 §2: typ at+jwt, client_id, scope (space-separated), jti.
  rfc9068: { name: 'rfc9068', types: ['at+jwt'], clientId: ['client_id'], scopes: ['scope'], tokenId: ['jti'], subject: 'sub' },
  // Keycloak: header typ JWT, the client in azp, scope as a string, aud an array (audience mappers).
  keycloak: { name: 'keycloak', types: ['JWT'], clientId: ['azp'], scopes: ['scope'], tokenId: ['jti'], subject: 'sub' },
  // Entra ID: typ JWT, azp (v2) or appid (v1), delegated scopes in scp (a string), app roles in roles, uti not jti.
  entra: { name: 'entra', types: ['JWT'], clientId: ['azp', 'appid'], scopes: ['scp', 'roles'], tokenId: ['uti'], subject: 'sub' },
  // Okta custom authorization servers: typ often absent, the client in cid, scp an array, jti.
  okta: { name: 'okta', types: ['JWT', null], clientId: ['cid'], scopes: ['scp'], tokenId: ['jti'], subject: 'sub' },
  // Auth0: at+jwt with its RFC 9068 profile, JWT with its default one (azp); scope a string, RBAC permissions an array.
  auth0: { name: 'auth0', types: ['at+jwt', 'JWT'], clientId: ['client_id', 'azp'], scopes: ['scope', 'permissions'], tokenId: ['jti'], subject: 'sub' },
};

/** Per-key overrides of a profile (router.yaml `auth.claims` and `auth.tokenType`). */
export interface ProfileOverrides {
  claims?: { clientId?: string | string[]; scopes?: string | string[]; tokenId?: string | string[]; subject?: string };
  /** Accepted typ values; null accepts a token without typ. */
  tokenType?: string | (string | null)[];
}

const list = <T>(value: T | T[] | undefined): T[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/** The named profile with the configured overrides applied. */
export function tokenProfile(name: ProfileName = 'rfc9068', overrides: ProfileOverrides = {}): TokenProfile {
  const base = PROFILES[name];
  return {
    ...base,
    types: list<string | null>(overrides.tokenType) ?? base.types,
    clientId: list(overrides.claims?.clientId) ?? base.clientId,
    scopes: list(overrides.claims?.scopes) ?? base.scopes,
    tokenId: list(overrides.claims?.tokenId) ?? base.tokenId,
    subject: overrides.claims?.subject ?? base.subject,
  };
}

/** The RFC 9068 profile: what the embedded authorization server issues. */
export const RFC9068_PROFILE = PROFILES.rfc9068;

const mediaType = (type: string) => type.toLowerCase().replace(/^application\//, '');

/** Whether the profile accepts this `typ` header value (RFC 8725 §3.11: explicit typing). */
export function acceptsType(profile: TokenProfile, typ: unknown): boolean {
  if (typ === undefined) return profile.types.includes(null);
  return typeof typ === 'string' && profile.types.some((type) => type !== null && mediaType(type) === mediaType(typ));
}

/** The first of `claims` the payload holds as a non-empty string. */
export function firstString(payload: JWTPayload, claims: string[]): string | undefined {
  for (const claim of claims) {
    const value = payload[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Every scope the payload grants under the profile's scope claims (strings split on spaces, arrays taken whole). */
export function scopesOf(payload: JWTPayload, profile: TokenProfile): string[] {
  const scopes = profile.scopes.flatMap((claim) => {
    const value = payload[claim];
    if (typeof value === 'string') return value.split(' ');
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
    return [];
  });
  return [...new Set(scopes.filter(Boolean))];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The audience values a token may carry for a configured audience. Entra ID puts the
 * application's GUID in v2 tokens' `aud` and its Application ID URI (`api://<GUID>` by
 * default) in v1 tokens', so either names the same application.
 */
export function acceptedAudiences(profile: TokenProfile, audience: string | string[]): string[] {
  const configured = Array.isArray(audience) ? audience : [audience];
  if (profile.name !== 'entra') return configured;
  return [...new Set(configured.flatMap((value) => {
    const guid = value.replace(/^api:\/\//, '');
    return GUID.test(guid) ? [guid, `api://${guid}`] : [value];
  }))];
}
