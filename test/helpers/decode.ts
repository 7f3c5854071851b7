/** The payload of a JWT, decoded without verification (for asserting on claims). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The GraphQL error codes of a response body. */
export function errorCodes(body: Record<string, unknown>): string[] {
  return ((body.errors as { extensions?: { code?: string } }[] | undefined) ?? []).map((error) => String(error.extensions?.code));
}
