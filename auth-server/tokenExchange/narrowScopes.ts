import { errors } from 'oidc-provider';

export interface ScopeSources {
  /** What the client asked for; undefined (no `scope` parameter) asks for none. */
  requested?: string[];
  /** What the subject token's user consented to (its own scopes, or its chain's: DelegableScopes). */
  subject: string[];
  /** What the target audience defines. */
  audience: string[];
  /** What the exchange policy lets this client pass on to this audience. */
  policy: string[];
  /** Refuse (invalid_scope) rather than drop a requested scope the policy withholds: a service's direct exchange. */
  strictPolicy?: boolean;
}

/**
 * Scopes only narrow: issued = requested ∩ subject ∩ audience ∩ policy. Asking for a scope
 * the subject token does not hold is an escalation and refused with `invalid_scope`;
 * scopes the audience does not define or the policy withholds are dropped, and the response
 * then reports the narrower `scope`.
 */
export function narrowScopes(sources: ScopeSources): string[] {
  const subject = new Set(sources.subject);
  const escalation = sources.requested?.filter((scope) => !subject.has(scope)) ?? [];
  if (escalation.length > 0) {
    throw new errors.InvalidScope("requested scope exceeds the subject token's scope", escalation.join(' '));
  }
  const audience = new Set(sources.audience);
  const policy = new Set(sources.policy);
  const beyondPolicy = sources.requested?.filter((scope) => !policy.has(scope)) ?? [];
  if (sources.strictPolicy && beyondPolicy.length > 0) {
    throw new errors.InvalidScope('requested scope exceeds what the broker policy lets this service ask for', beyondPolicy.join(' '));
  }
  // No scope parameter means no scope: a client gets only what it names (least privilege;
  // oidc-provider drops an empty parameter, so "none" and "absent" cannot be told apart).
  const candidates = sources.requested ?? [];
  return [...new Set(candidates)].filter((scope) => subject.has(scope) && audience.has(scope) && policy.has(scope));
}
