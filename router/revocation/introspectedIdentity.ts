import type { JWTPayload } from 'jose';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import type { VerifiedToken } from '../../lib/verifyAccessToken.js';

/** What an opaque token must be, as its issuer describes it. */
export interface IntrospectionPolicy {
  issuer: string;
  audience: string | string[];
  clockToleranceSeconds: number;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * An opaque token's identity from an RFC 7662 §2.2 answer: active, from the issuer (when it says),
 * for one of the router's audiences (required: an opaque token says nothing else about where it
 * may be used), unexpired, with a subject and a client. `active: false` is `token_revoked`.
 */
export function introspectedIdentity(answer: Record<string, unknown>, policy: IntrospectionPolicy): VerifiedToken {
  if (answer.active !== true) throw new InvalidTokenError('token_revoked');
  if (answer.iss !== undefined && answer.iss !== policy.issuer) throw new InvalidTokenError('wrong_issuer');
  const audiences = typeof answer.aud === 'string' ? [answer.aud] : Array.isArray(answer.aud) ? answer.aud : [];
  const accepted = typeof policy.audience === 'string' ? [policy.audience] : policy.audience;
  if (!audiences.some((audience) => accepted.includes(audience as string))) throw new InvalidTokenError('wrong_audience');
  const now = Date.now() / 1000;
  if (typeof answer.exp !== 'number') throw new InvalidTokenError('missing_claim');
  if (answer.exp <= now - policy.clockToleranceSeconds) throw new InvalidTokenError('token_expired');
  if (typeof answer.nbf === 'number' && answer.nbf > now + policy.clockToleranceSeconds) throw new InvalidTokenError('not_yet_valid');
  const sub = text(answer.sub);
  const clientId = text(answer.client_id);
  if (sub === undefined || clientId === undefined) throw new InvalidTokenError('missing_claim');
  const scopes = typeof answer.scope === 'string' ? answer.scope.split(' ').filter(Boolean) : [];
  return { sub, clientId, scopes, exp: answer.exp, jti: text(answer.jti) ?? '', claims: answer as JWTPayload };
}
