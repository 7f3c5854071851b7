import { discoverIssuer, type IssuerMetadata } from '../../lib/discoverIssuer.js';
import { remoteKeys, type IssuerKeys } from '../../lib/issuerKeys.js';
import { retryWithBackoff } from '../../lib/retryWithBackoff.js';

/**
 * The issuer's metadata, and its keys (fetched once, for the edge to use), retrying with backoff
 * for as long as it takes (retryWithBackoff). Rejects only when `signal` aborts (the router is
 * stopping) or discovery names another issuer.
 */
export function waitForIssuer(issuer: string, jwksUri: string | undefined, report: (problem: string) => void, signal: AbortSignal): Promise<IssuerMetadata & { keys: IssuerKeys }> {
  return retryWithBackoff(
    async () => {
      const metadata = await discoverIssuer(issuer, 0);
      // The keys the edge will verify with, fetched once now: ready means they are at hand.
      const keys = remoteKeys(jwksUri ?? metadata.jwks_uri);
      await keys.load();
      return { ...metadata, keys };
    },
    report,
    signal,
    (error) => !(error as Error).message.startsWith('discovery at'),
  );
}
