import { InvalidTokenError } from '../../lib/tokenRejection.js';
import { bearerTokenOf, MAX_TOKEN_LENGTH } from '../../lib/http/bearerToken.js';

/** What a verifier is handed: a token, an Authorization header value, or every value of that header. */
export type Credential = string | readonly string[] | null | undefined;

/**
 * The token in a credential. A single string with dots and no space is the token itself (a
 * JWT); anything else is Authorization header values (RFC 6750 §2.1: `Bearer <token>` only).
 * Several values, another scheme or an oversized token are refused, as at the router's edge.
 */
export function tokenFromCredential(credential: Credential): string {
  if (typeof credential === 'string' && credential.includes('.') && !credential.includes(' ')) {
    if (credential.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token_too_large');
    return credential;
  }
  const values = typeof credential === 'string' ? (credential === '' ? [] : [credential]) : credential ?? [];
  const token = bearerTokenOf(values);
  if (token === undefined) throw new InvalidTokenError('missing_token');
  return token;
}
