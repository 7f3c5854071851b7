import type { KoaContextWithOIDC } from 'oidc-provider';
import { decodeProtectedHeader } from 'jose';
import { revokeStructuredToken, type StructuredRevocationDeps } from './revokeStructuredToken.js';

/**
 * Middleware around oidc-provider's revocation endpoint (`POST /token/revocation`), run after it:
 * a JWT it refused only for being structured, from a client it authenticated, is revoked here
 * (revokeStructuredToken.ts); every other answer is audited as it stands. Refresh tokens it
 * revokes itself are announced from its `grant.revoked` event (followGrants.ts).
 */
export function revocationEndpoint(deps: StructuredRevocationDeps) {
  return async function afterRevocation(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    if (ctx.oidc?.route !== 'revocation') return;
    const body = ctx.body as { error?: string } | undefined;
    const client = ctx.oidc.client;
    if (client && ctx.status === 400 && body?.error === 'unsupported_token_type' && isJwt(ctx.oidc.params?.token)) {
      await revokeStructuredToken(ctx, deps);
      return;
    }
    // A refresh token oidc-provider revoked was audited with its grant (followGrants.ts), which left the index then.
    const refreshToken = ctx.oidc.entities.RefreshToken;
    if (refreshToken && ctx.status === 200 && !deps.index.byGrant(refreshToken.grantId ?? '')) return;
    deps.audit({
      event: 'revocation',
      cause: 'token_revoked',
      ...(client ? { client: client.clientId } : {}),
      ...(ctx.status === 200 ? { decision: 'ignored', reason: refreshToken ? 'not_this_clients_token' : 'unknown_token' } : { decision: 'refused', reason: body?.error ?? `status ${ctx.status}` }),
    });
  };
}

function isJwt(token: unknown): boolean {
  try {
    return typeof token === 'string' && !!decodeProtectedHeader(token);
  } catch {
    return false;
  }
}
