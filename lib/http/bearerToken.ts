import type { IncomingMessage } from 'node:http';
import { InvalidTokenError } from '../tokenRejection.js';

/** Largest bearer token accepted (a JWT access token is a few KB). */
const MAX_TOKEN_LENGTH = 8 * 1024;

/**
 * The request's bearer token (RFC 6750 §2.1), or undefined when there is none. A repeated
 * Authorization header, another scheme or an oversized value is refused, not guessed at.
 */
export function bearerToken(req: IncomingMessage): string | undefined {
  const values = req.headersDistinct.authorization;
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidTokenError('duplicate_authorization');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(values[0]);
  if (!match) throw new InvalidTokenError('not_bearer');
  if (match[1].length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token_too_large');
  return match[1];
}
