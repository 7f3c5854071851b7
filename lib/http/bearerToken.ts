import type { IncomingMessage } from 'node:http';
import { InvalidTokenError } from '../tokenRejection.js';

/** Largest bearer token accepted (a JWT access token is a few KB). */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/**
 * The bearer token (RFC 6750 §2.1) in a request's Authorization header values, or undefined
 * when there is none. A repeated header, another scheme or an oversized value is refused, not guessed at.
 */
export function bearerTokenOf(values: readonly string[] | undefined): string | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidTokenError('duplicate_authorization');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(values[0]);
  if (!match) throw new InvalidTokenError('not_bearer');
  if (match[1].length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token_too_large');
  return match[1];
}

/** The request's bearer token, or undefined when there is none (see bearerTokenOf). */
export function bearerToken(req: IncomingMessage): string | undefined {
  return bearerTokenOf(req.headersDistinct.authorization);
}
