import { setTimeout as sleep } from 'node:timers/promises';
import { discoverIssuer, type IssuerMetadata } from '../../lib/discoverIssuer.js';
import { remoteKeys, type IssuerKeys } from '../../lib/issuerKeys.js';

/**
 * The issuer's metadata, and its keys (fetched once, for the edge to use), retrying with backoff (250 ms doubling to
 * 5 s) for as long as it takes: an issuer that is briefly down at start delays readiness, it
 * does not end the router. Each new kind of failure is reported once through `report`.
 * Rejects only when `signal` aborts (the router is stopping) or discovery names another issuer.
 */
export async function waitForIssuer(issuer: string, jwksUri: string | undefined, report: (problem: string) => void, signal: AbortSignal): Promise<IssuerMetadata & { keys: IssuerKeys }> {
  let delay = 250;
  let lastProblem = '';
  for (;;) {
    try {
      const metadata = await discoverIssuer(issuer, 0);
      // The keys the edge will verify with, fetched once now: ready means they are at hand.
      const keys = remoteKeys(jwksUri ?? metadata.jwks_uri);
      await keys.load();
      return { ...metadata, keys };
    } catch (error) {
      const problem = (error as Error).message;
      if (problem.startsWith('discovery at')) throw error;
      if (problem !== lastProblem) report(problem);
      lastProblem = problem;
    }
    await sleep(delay, undefined, { signal });
    delay = Math.min(delay * 2, 5000);
  }
}
