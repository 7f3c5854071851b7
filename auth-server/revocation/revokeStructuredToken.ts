import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { InvalidTokenError, verifyAccessToken, type VerifiedToken } from '../../lib/verifyAccessToken.js';
import type { VerifyOptions } from '../tokenExchange/verifyIssuedToken.js';
import type { RevocationAuditEvent } from '../auditEvents.js';
import { announceSessionRevoked, type RevocationDeps } from './announceSessionRevoked.js';
import { endGrant } from './endGrant.js';
import { NOT_YOUR_TOKEN, revocationVerdict } from './revocationPolicy.js';
import type { SessionIndex } from './sessionIndex.js';

/** What revoking a JWT needs besides the common parts: the provider, the sid index and how to verify our own tokens. */
export interface StructuredRevocationDeps extends RevocationDeps {
  provider: Provider;
  index: SessionIndex;
  verify: VerifyOptions;
}

/**
 * RFC 7009 for our JWT access tokens (user, exchanged and client credentials tokens alike),
 * which oidc-provider refuses with `unsupported_token_type`: it stores no structured token, so it
 * has nothing to delete. It has already authenticated the client. Here: the token must verify as
 * ours (else, RFC 7009 §2.2, 200 and nothing done), an ID token stays unsupported, and only the
 * token's own client may revoke it. A JWT cannot be recalled, so revoking one ends what it
 * belongs to: its session (every token carrying its `sid`, and the grant behind it) or, without
 * a sid, its subject's earlier tokens; receivers hear it as CAEP `session-revoked`.
 */
export async function revokeStructuredToken(ctx: KoaContextWithOIDC, deps: StructuredRevocationDeps): Promise<void> {
  const client = ctx.oidc.client!;
  const line = (fields: Omit<RevocationAuditEvent, 'event' | 'cause' | 'client'>) => deps.audit({ event: 'revocation', cause: 'token_revoked', client: client.clientId, ...fields });
  let token: VerifiedToken;
  try {
    token = await verifyAccessToken(String(ctx.oidc.params?.token), { ...deps.verify, audience: undefined });
  } catch (error) {
    const reason = error instanceof InvalidTokenError ? error.reason : 'malformed_token';
    // A JWT that is not an access token (an ID token): oidc-provider's unsupported_token_type stands.
    if (reason === 'wrong_type') return line({ decision: 'refused', reason: 'unsupported_token_type' });
    answer(ctx, 200, '');
    return line({ decision: 'ignored', reason });
  }
  const identity = { subject: token.sub, jti: token.jti };
  const verdict = revocationVerdict(client, token.clientId);
  if (verdict === 'refused') {
    answer(ctx, 400, { error: 'invalid_request', error_description: NOT_YOUR_TOKEN });
    return line({ decision: 'refused', reason: 'invalid_request', ...identity });
  }
  answer(ctx, 200, '');
  if (verdict === 'ignored') return line({ decision: 'ignored', reason: 'not_this_clients_token' });
  const already = deps.revocations.reasonRevoked(token);
  if (already === 'token_revoked' || already === 'session_revoked') return line({ decision: 'ignored', reason: already, ...identity });

  deps.revocations.revokeToken(token.jti, token.exp);
  const sid = typeof token.claims.sid === 'string' ? token.claims.sid : undefined;
  announceSessionRevoked(deps, { cause: 'token_revoked', client: client.clientId, ...identity, sid });
  const entry = sid === undefined ? undefined : deps.index.bySid(sid);
  if (!entry) return;
  deps.index.forget(entry.sid);
  // Awaited: when the client reads 200, the grant's refresh tokens are gone too (RFC 7009 §2.1 allows revoking related tokens).
  try {
    await endGrant(deps.provider, entry, true);
  } catch {
    line({ decision: 'failed', reason: 'server_error', ...identity, sid });
  }
}

function answer(ctx: KoaContextWithOIDC, status: number, body: string | object): void {
  ctx.remove('content-type');
  ctx.body = body;
  ctx.status = status;
}
