import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** The issuer's keys for jose, and `load` to fetch them ahead of the first token (readiness). */
export type IssuerKeys = JWTVerifyGetKey & { load(): Promise<void> };

/** How the issuer's JWKS is fetched and refreshed. */
export interface IssuerKeysOptions {
  /** Timeout of one JWKS fetch. Default 2000 ms. */
  timeoutMs?: number;
  /** An unknown kid refetches at most once per this interval (no refetch storm). Default 30 s. */
  unknownKidIntervalMs?: number;
  /** The JWKS is refetched at the next verification after this age. Default 10 min. */
  maxAgeMs?: number;
  /** After a failed fetch, verifications fail at once for this long instead of fetching again. Default 1000 ms. */
  retryAfterFailureMs?: number;
}

/**
 * The issuer's keys from its JWKS. Keys come only from here, never from a token's jku/x5u.
 * A token with an unknown kid refetches the JWKS at once (a rotated key works on its first
 * use) but at most once per `unknownKidIntervalMs`, and concurrent lookups share one fetch,
 * so a flood of made-up kids costs at most one fetch per interval.
 */
export function remoteKeys(jwksUri: string, options: IssuerKeysOptions = {}): IssuerKeys {
  const { timeoutMs = 2000, unknownKidIntervalMs = 30_000, maxAgeMs = 600_000, retryAfterFailureMs = 1000 } = options;
  let failedAt = Number.NEGATIVE_INFINITY;
  let local: JWTVerifyGetKey | undefined;
  let fetchedAt = 0;
  let lastUnknownKidFetch = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const fetchKeys = async () => {
    // An unreachable issuer is not asked again by every request in the meantime.
    if (Date.now() - failedAt < retryAfterFailureMs) throw new joseErrors.JWKSInvalid('the issuer JWKS could not be fetched');
    let jwks: JSONWebKeySet;
    try {
      const response = await fetch(jwksUri, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      jwks = (await response.json()) as JSONWebKeySet;
      local = createLocalJWKSet(jwks);
      fetchedAt = Date.now();
    } catch {
      failedAt = Date.now();
      throw new joseErrors.JWKSInvalid('the issuer JWKS could not be fetched');
    }
  };
  const load = () => (inFlight ??= fetchKeys().finally(() => (inFlight = undefined)));

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!local || Date.now() - fetchedAt > maxAgeMs) await load();
    try {
      return await local!(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      if (!inFlight) {
        if (Date.now() - lastUnknownKidFetch < unknownKidIntervalMs) throw error;
        lastUnknownKidFetch = Date.now();
      }
      await load();
      return local!(header, token);
    }
  };
  return Object.assign(getKey, { load: async () => load() });
}
