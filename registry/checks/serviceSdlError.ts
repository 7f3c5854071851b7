/**
 * Why a running service did not give its SDL. `code` is stable: `SERVICE_UNREACHABLE` (no
 * connection, a timeout, the request aborted) or `SERVICE_REFUSED` (an HTTP error, GraphQL errors,
 * or no SDL in the answer); `reason` says which (`unreachable`, `timeout`, `aborted`,
 * `http_<status>`, `graphql_errors`, `invalid_response`, `response_too_large`). The message names
 * the URL (without credentials) and the status or the service's own reason, never the token.
 */
export class ServiceSdlError extends Error {
  override readonly name = 'ServiceSdlError';

  constructor(
    readonly code: 'SERVICE_UNREACHABLE' | 'SERVICE_REFUSED',
    readonly reason: string,
    readonly url: string,
    message: string,
    /** The HTTP status the service answered with, when it answered. */
    readonly status?: number,
    /** The service's own `extensions.code`/`reason` of its first error (e.g. `UNAUTHENTICATED`, `not_delegated`), when it gave them. */
    readonly serviceReason?: string,
  ) {
    super(message);
  }
}

/** A URL as an error may name it: no user name, password, query or fragment. */
export function displayUrl(url: string): string {
  const parsed = URL.parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : '(not a URL)';
}
