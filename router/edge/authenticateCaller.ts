import type { IncomingMessage } from 'node:http';
import { fingerprint } from '../../lib/fingerprint.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';

/** The verified caller. The raw token is kept only to be the subject of exchanges. */
export interface Caller extends VerifiedToken {
  token: string;
  /** SHA-256 of the token (hex): what logs, traces and cache keys use instead of it. */
  fingerprint: string;
}

/** Largest bearer token accepted (a JWT access token is a few KB). */
const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * The request's bearer token, or undefined when there is none. A repeated Authorization
 * header, another scheme or an oversized value is refused rather than guessed at.
 */
export function bearerToken(req: IncomingMessage): string | undefined {
  const values = req.headersDistinct.authorization;
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidTokenError('more than one Authorization header');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(values[0]);
  if (!match) throw new InvalidTokenError('Authorization header is not a Bearer token');
  if (match[1].length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token too large');
  return match[1];
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
