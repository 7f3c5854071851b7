import { errors, type TokenEndpointGrantContext } from 'oidc-provider';
import type { AudienceDefinition } from '../audiences.js';
import type { ClientDefinition } from '../demoIdentities.js';
import { readExchangeRequest } from './readExchangeRequest.js';
import { verifyIssuedToken, type VerifyOptions } from './verifyIssuedToken.js';
import { resolveTarget } from './resolveTarget.js';
import { narrowScopes } from './narrowScopes.js';
import { buildActClaim } from './buildActClaim.js';
import { ACCESS_TOKEN_TYPE } from './tokenTypes.js';
import { checkSubjectBinding } from './checkSubjectBinding.js';
import { DelegableScopes } from './delegableScopes.js';
import { TOKEN_EXCHANGE_GRANT } from '../demoIdentities.js';
import { own } from '../../lib/own.js';
import { refuseRevoked } from './refuseRevoked.js';
import type { RevocationList } from '../revocation/revocationList.js';

/** A direct service-to-service exchange (no broker), granted or refused: audited and counted. */
export interface DirectExchangeEvent {
  event: 'exchange.direct';
  client: string;
  subject?: string;
  audience?: string;
  scopes?: string[];
  decision: 'granted' | 'refused';
  error?: string;
  jti?: string;
}

export interface TokenExchangeOptions {
  clients: ClientDefinition[];
  /** The users of this server: only their tokens may be the subject of an exchange. */
  users: Set<string>;
  /** The router's audience: an actor token must have been issued for it (a service's token for the broker). */
  routerAudience: string;
  /** Told of every direct exchange by a service client (the fallback when the broker is down). */
  onDirectExchange?: (event: DirectExchangeEvent) => void;
  audiences: AudienceDefinition[];
  verify: VerifyOptions;
  ttlSeconds: number;
  maxActDepth: number;
  /** What has been revoked (a session, a token, a subject's claims): such tokens are never exchanged. */
  revocations?: RevocationList;
}

/**
 * The RFC 8693 token-exchange grant, registered with oidc-provider's `registerGrantType`.
 * oidc-provider has already authenticated the client; the steps below run in this order.
 */
export function tokenExchangeGrant(options: TokenExchangeOptions) {
  const delegable = new DelegableScopes();
  return async function tokenExchange(ctx: TokenEndpointGrantContext): Promise<void> {
    const definition = options.clients.find((candidate) => candidate.clientId === ctx.oidc.client.clientId);
    // A service exchanging without an actor is the direct fallback: every attempt is audited.
    const direct = definition?.ownAudience !== undefined && !ctx.oidc.params.actor_token;
    if (!direct) {
      await exchange(ctx, definition);
      return;
    }
    const event: DirectExchangeEvent = { event: 'exchange.direct', client: ctx.oidc.client.clientId, decision: 'refused' };
    try {
      Object.assign(event, await exchange(ctx, definition), { decision: 'granted' });
    } catch (error) {
      event.error = (error as { error?: string }).error ?? 'server_error';
      throw error;
    } finally {
      options.onDirectExchange?.(event);
    }
  };

  async function exchange(ctx: TokenEndpointGrantContext, definition: ClientDefinition | undefined): Promise<Partial<DirectExchangeEvent>> {
    const { client, provider } = ctx.oidc;

    // 1. Only confidential clients with an exchange policy may exchange.
    if (client.clientAuthMethod === 'none') throw new errors.UnauthorizedClient('public clients may not exchange tokens');
    const policy = definition?.exchange;
    if (!policy) throw new errors.UnauthorizedClient('this client is not allowed the token-exchange grant');
    if (Object.keys(policy.targets).length === 0) throw new errors.UnauthorizedClient('the broker policy names no target this service may call');

    // 2. The request's shape (RFC 8693 §2.1).
    const request = readExchangeRequest(ctx.oidc.params);

    // 3. The subject token and the actor token (when the client acts for a service): ours and valid.
    const subject = await verifyIssuedToken(request.subjectToken, 'subject_token', options.verify);
    // Delegation is for users: a client's own token (client credentials) has nobody behind it to act for.
    if (!options.users.has(subject.sub)) throw new errors.InvalidRequest("subject_token must be a user's token, not a client's own");
    const actor = request.actorToken ? await verifyIssuedToken(request.actorToken, 'actor_token', options.verify) : undefined;
    refuseRevoked(options.revocations, subject, 'subject_token');
    if (actor) refuseRevoked(options.revocations, actor, 'actor_token');

    // 4. The subject belongs to this client, or to the service it acts for, in one delegation.
    const actorDefinition = actor && options.clients.find((candidate) => candidate.clientId === actor.clientId);
    checkSubjectBinding(client.clientId, policy, subject, actor && { token: actor, definition: actorDefinition }, options.routerAudience);

    // 5. Exactly one allowed target, and scopes that only narrow.
    const target = resolveTarget(request, options.audiences, policy);
    const consented = delegable.of(subject);
    const scopes = narrowScopes({
      requested: request.scopes,
      subject: consented,
      audience: target.scopes,
      policy: own(policy.targets, target.audience) ?? [],
      strictPolicy: definition?.ownAudience !== undefined && !actor,
    });

    // 6. The delegation chain: this client, then the actor it speaks for, then the prior chain.
    const actors = [client.clientId, ...(actor ? [actor.clientId] : [])];
    const act = buildActClaim(actors, subject.act, options.maxActDepth);

    // 7. Never outlive the subject token.
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = Math.min(options.ttlSeconds, subject.exp - now);
    if (expiresIn <= 0) throw new errors.InvalidRequest('subject_token is expired');

    // The subject's session id carries over (createProvider.ts puts `sid` in the token), so
    // revoking that session covers the tokens exchanged from it too.
    const sid = typeof subject.claims.sid === 'string' ? subject.claims.sid : undefined;
    const token = new provider.AccessToken({
      client,
      accountId: subject.sub,
      ...(sid ? { sid } : {}),
      grantId: `exchange:${subject.jti}`,
      gty: TOKEN_EXCHANGE_GRANT,
      scope: scopes.join(' ') || undefined,
      expiresIn,
      resourceServer: new provider.ResourceServer(target.audience, {
        audience: target.audience,
        scope: target.scopes.join(' '),
        accessTokenFormat: 'jwt',
      }),
      extra: { act },
    });
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    delegable.remember(token.jti, consented, now + expiresIn);

    ctx.body = {
      access_token: value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: expiresIn,
      // RFC 8693 §2.2.1 requires scope only when it differs from the request; it is always
      // sent here so a client never has to guess what it was given.
      scope: scopes.join(' '),
    };
    return { subject: subject.sub, audience: target.audience, scopes, jti: token.jti };
  }
}
