import type { JWTPayload } from 'jose';
import type { ActClaim, VerifiedToken } from '../../lib/verifyAccessToken.js';
import { fingerprint } from '../../lib/fingerprint.js';
import type { DecisionRecorder } from '../decisions/decisionLog.js';

/**
 * Who a request comes from, as a verified token says: the `deputy` value of a subgraph's
 * context. Part of the public API (`deputy/subgraph`): fields are only ever added.
 */
export interface DeputyIdentity {
  /** The user the token was issued for (`sub`, or the profile's subject claim). */
  subject: string;
  /** The client the token was issued to (`client_id`, `azp`, `cid`... per profile). */
  clientId: string;
  /** The granted scopes, merged from the profile's scope claims. */
  scopes: readonly string[];
  /**
   * Who acts for the subject, most recent actor first (RFC 8693 §4.1: the outermost `act`; only
   * that one may count for policy, the rest is history). For a vendor token without `act`
   * (Entra ID on-behalf-of, Keycloak, Okta), the client it was issued to; empty for a service
   * calling as itself.
   */
  actorChain: readonly string[];
  /** The token's id (`jti`, or Entra's `uti`), e.g. to revoke it. */
  tokenId: string;
  /** The first 12 hex digits of the token's SHA-256, as in the router's trace: for logs, never the token itself. */
  fingerprint: string;
  /** When the token expires, in seconds since the epoch. */
  expiresAt: number;
  /** Every claim of the verified token, for what the fields above do not cover. */
  claims: Readonly<JWTPayload>;
  /**
   * Set only for an SDL reader: a client's own token (no `act`, `sub` = the client) from a client
   * the verifier's `sdlReaders` names, by default the router reading `{ _service { sdl } }` before
   * a publish. No user stands behind it: its `scopes` are empty, and the adapters refuse it any
   * operation but `_service { sdl }` (401 `not_delegated`).
   */
  sdlReaderOnly?: true;
}

/** What the kit's rules see of a request: the caller, where decisions go, and whether rules apply. */
export interface DeputyContext {
  /** The verified caller; undefined only when the subgraph runs without authentication. */
  deputy?: DeputyIdentity;
  decisions: DecisionRecorder;
  /** Authentication is off (a benchmark's floor): rules are not applied. Never in production. */
  open?: boolean;
}

/** The actors of an `act` claim, outermost (most recent) first. */
function actorsOf(act: ActClaim | undefined): string[] {
  const chain: string[] = [];
  for (let actor = act; actor && typeof actor.sub === 'string'; actor = actor.act) chain.push(actor.sub);
  return chain;
}

/** The `deputy` value of a verified token (`raw`, as presented); `clientIsActor` as in lib/checkDelegation. */
export function deputyIdentity(token: VerifiedToken, raw: string, clientIsActor: boolean): DeputyIdentity {
  const chain = actorsOf(token.act);
  // A vendor's exchanged token names no actor: the client it was issued to (the router) is the actor.
  if (chain.length === 0 && clientIsActor && token.sub !== token.clientId) chain.push(token.clientId);
  return {
    subject: token.sub,
    clientId: token.clientId,
    scopes: token.scopes,
    actorChain: chain,
    tokenId: token.jti,
    fingerprint: fingerprint(raw).slice(0, 12),
    expiresAt: token.exp,
    claims: token.claims,
  };
}
