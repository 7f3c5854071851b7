// The one core both adapters are thin over: verify the caller, start the request's decision
// log, answer a refused token with a 401, and read the decisions back for the response.
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';
import type { DeputyContext, DeputyIdentity } from '../context/deputyContext.js';
import { DecisionLog } from '../decisions/decisionLog.js';
import type { TokenVerifier } from '../verification/createTokenVerifier.js';

/** What the adapters add to a request's context: the verified caller and the request's decision log. */
export interface DeputyRequestContext extends DeputyContext {
  deputy: DeputyIdentity;
  decisions: DecisionLog;
}

/** The options every adapter takes. */
export interface DeputyAdapterOptions {
  /** This subgraph's name, as its decisions are reported to the router. */
  subgraph: string;
  verifier: TokenVerifier;
}

/** A refused request as an adapter sends it: status, headers and a GraphQL error body. */
export interface Unauthenticated {
  status: number;
  headers: Record<string, string>;
  body: { errors: { message: string; extensions: Record<string, unknown> }[] };
}

/**
 * The context a request adds once its Authorization header (its value, or every value) is
 * verified; rejects with InvalidTokenError. A header holding a bare token, without the Bearer
 * scheme, is refused (`not_bearer`), as at the router's edge.
 */
export async function deputyRequestContext(verifier: TokenVerifier, authorization: string | readonly string[] | null | undefined): Promise<DeputyRequestContext> {
  const values = typeof authorization === 'string' ? [authorization] : (authorization ?? []);
  return { deputy: await verifier.verify(values), decisions: new DecisionLog() };
}

/** The 401 for a refused token (RFC 6750 §3): the challenge header, code UNAUTHENTICATED and the stable reason. */
export function unauthenticated(error: InvalidTokenError): Unauthenticated {
  return {
    status: error.status,
    headers: { 'www-authenticate': error.challenge, 'content-type': 'application/json; charset=utf-8' },
    body: { errors: [{ message: error.message, extensions: error.extensions }] },
  };
}

/** The decisions recorded in a context the adapters built; none for any other. */
export function decisionsIn(context: unknown): AuthorizationDecision[] {
  const log = (context as Partial<DeputyRequestContext> | undefined)?.decisions;
  return log instanceof DecisionLog ? log.list() : [];
}
