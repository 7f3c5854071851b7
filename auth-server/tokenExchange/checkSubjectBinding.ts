import { errors } from 'oidc-provider';
import type { VerifiedToken } from '../../lib/verifyAccessToken.js';
import type { ClientDefinition, ExchangePolicy } from '../demoIdentities.js';

/**
 * Whose tokens may this client exchange? Without an actor token: only tokens issued to it
 * (`aud` = its subject audience). With one (a broker acting for a service), the subject must
 * be a token that service holds for its own audience and that this very client delegated to
 * it (outermost `act`): RFC 8693 does not bind actor and subject, so this check does, and a
 * subject from another delegation cannot be spliced with this actor; and the actor token must be
 * the service's token for the router. Errors: invalid_request.
 */
export function checkSubjectBinding(
  clientId: string,
  policy: ExchangePolicy,
  subject: VerifiedToken,
  actor: { token: VerifiedToken; definition: ClientDefinition | undefined } | undefined,
  routerAudience: string,
): void {
  const audiences = [subject.claims.aud].flat();
  if (!actor) {
    if (!audiences.includes(policy.subjectAudience)) {
      throw new errors.InvalidRequest(`subject_token was not issued to this client (aud must be '${policy.subjectAudience}')`);
    }
    return;
  }
  if (!policy.brokers) throw new errors.InvalidRequest('this client may not act for another party (actor_token)');
  const ownAudience = actor.definition?.ownAudience;
  if (!ownAudience || actor.token.sub !== actor.token.clientId) {
    throw new errors.InvalidRequest('actor_token must be a service client token of a registered service');
  }
  // The actor token is the one the service presented to this router's broker, nothing else.
  if (![actor.token.claims.aud].flat().includes(routerAudience)) {
    throw new errors.InvalidRequest(`actor_token must be issued to the router (aud must be '${routerAudience}')`);
  }
  if (!audiences.includes(ownAudience)) {
    throw new errors.InvalidRequest(`subject_token does not belong to the actor (aud must be '${ownAudience}')`);
  }
  if (subject.act?.sub !== clientId) {
    throw new errors.InvalidRequest('subject_token was not delegated by this client');
  }
}
