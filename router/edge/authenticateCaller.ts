import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { fingerprint } from '../../lib/fingerprint.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';

/** The verified caller. The raw token is kept only to be the subject of exchanges. */
export interface Caller extends VerifiedToken {
  token: string;
  /** SHA-256 of the token (hex): what logs, traces and cache keys use instead of it. */
  fingerprint: string;
}

/** Edge verification: the caller, or undefined for an anonymous request when allowed; else InvalidTokenError. */
export async function authenticateCaller(req: IncomingMessage, policy: AccessTokenPolicy, allowAnonymous: boolean): Promise<Caller | undefined> {
  const token = bearerToken(req);
  if (token === undefined) {
    if (allowAnonymous) return undefined;
    throw new InvalidTokenError('no bearer token');
  }
  const verified = await verifyAccessToken(token, policy);
  return { ...verified, token, fingerprint: fingerprint(token) };
}
