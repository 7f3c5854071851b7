import { setTimeout as sleep } from 'node:timers/promises';

/** What Deputy reads from an issuer's discovery document. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  /** RFC 7662 (RFC 8414 §2): where tokens are introspected, when the issuer offers it. */
  introspection_endpoint?: string;
}

/**
 * Reads `<issuer>/.well-known/openid-configuration` (falling back to the RFC 8414 path),
 * retrying while the issuer starts, and checks that it names exactly this issuer.
 */
export async function discoverIssuer(issuer: string, waitMs = 10_000): Promise<IssuerMetadata> {
  const deadline = Date.now() + waitMs;
  let lastProblem = '';
  for (;;) {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      try {
        const response = await fetch(`${issuer.replace(/\/$/, '')}${path}`, { signal: AbortSignal.timeout(2000) });
        if (!response.ok) {
          lastProblem = `${path} answered ${response.status}`;
          continue;
        }
        const metadata = (await response.json()) as IssuerMetadata;
        if (metadata.issuer !== issuer) {
          throw new Error(`discovery at ${issuer} names another issuer (${metadata.issuer})`);
        }
        return metadata;
      } catch (error) {
        if ((error as Error).message.startsWith('discovery at')) throw error;
        lastProblem = (error as Error).message;
      }
    }
    if (Date.now() >= deadline) throw new Error(`cannot discover issuer ${issuer}: ${lastProblem}`);
    await sleep(250);
  }
}
