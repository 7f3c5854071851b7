import { InvalidTokenError } from '../../lib/tokenRejection.js';
import { bearerTokenOf, MAX_TOKEN_LENGTH } from '../../lib/http/bearerToken.js';

/** What a verifier is handed: a token, an Authorization header value, or every value of that header. */
export type Credential = string | readonly string[] | null | undefined;

/**
 * The token in a credential. A value with a space is an Authorization header (RFC 6750 §2.1:
 * `Bearer <token>` only), one without is the token itself; several header values, another
 * scheme or an oversized token are refused, as at the router's edge.
 */
export function tokenFromCredential(credential: Credential): string {
  const values = typeof credential === 'string' ? [credential] : credential ?? [];
  if (values.length === 1 && !values[0].includes(' ')) {
    if (values[0] === '') throw new InvalidTokenError('missing_token');
    if (values[0].length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token_too_large');
    return values[0];
  }
  const token = bearerTokenOf(values);
  if (token === undefined) throw new InvalidTokenError('missing_token');
  return token;
}
