import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { RefusalError } from '../../lib/errors/RefusalError.js';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { own } from '../../lib/own.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy } from '../../lib/verifyAccessToken.js';
import type { Actor } from '../../registry/registryTypes.js';

/** Who may use the admin API: tokens for the admin audience, from a team client with the publish scope or a client with the admin scope. */
export interface AdminPolicy {
  token: AccessTokenPolicy;
  publishScope: string;
  adminScope: string;
  /** Team client id → the one subgraph it owns. Default: `<subgraph>-team` owns `<subgraph>`. */
  teams: Record<string, string>;
}

function ownedSubgraph(policy: AdminPolicy, clientId: string): string | undefined {
  return own(policy.teams, clientId) ?? (clientId.endsWith('-team') ? clientId.slice(0, -'-team'.length) : undefined);
}

/**
 * The actor behind an admin request: a client acting as itself (never a user's token), with the
 * admin scope, or a team client with the publish scope. Refused: 401 UNAUTHENTICATED (with its
 * reason) for a missing or invalid token, 403 FORBIDDEN for a token that is neither.
 */
export async function authenticateAdmin(req: IncomingMessage, policy: AdminPolicy): Promise<Actor> {
  const token = bearerToken(req);
  if (!token) throw new InvalidTokenError('missing_token');
  const verified = await verifyAccessToken(token, policy.token);
  const forbidden = (message: string, reason: string) => new RefusalError({ status: 403, code: ErrorCode.FORBIDDEN, message, reason, name: 'AdminRefusal' });
  if (verified.sub !== verified.clientId) throw forbidden('the admin API takes a client token, not a user token', 'not_a_client');
  const subgraph = ownedSubgraph(policy, verified.clientId);
  const admin = verified.scopes.includes(policy.adminScope);
  if (admin) return { clientId: verified.clientId, subgraph, admin };
  if (!subgraph) throw forbidden(`${verified.clientId} is neither a subgraph team client nor a registry admin`, 'not_a_team');
  if (!verified.scopes.includes(policy.publishScope)) throw forbidden(`the admin API needs the ${policy.publishScope} scope`, 'missing_scope');
  return { clientId: verified.clientId, subgraph, admin };
}
