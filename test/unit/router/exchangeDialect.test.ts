import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, defaultDialect, exchangeBody, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT } from '../../../router/delegation/exchangeDialect.js';

const target = { subjectToken: 'subject.jwt.value', audience: 'reviews', scopes: ['reviews:read', 'reviews:write'] };
const fields = (body: URLSearchParams) => Object.fromEntries(body);

describe('exchange dialects', () => {
  it('spells the embedded server and Keycloak exchange as RFC 8693 with audience and the requested token type', () => {
    for (const profile of ['rfc9068', 'keycloak'] as const) {
      expect(fields(exchangeBody(defaultDialect(profile), target))).toEqual({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: 'subject.jwt.value',
        subject_token_type: ACCESS_TOKEN_TYPE,
        requested_token_type: ACCESS_TOKEN_TYPE,
        audience: 'reviews',
        scope: 'reviews:read reviews:write',
      });
    }
  });

  it('spells Okta and Auth0 on-behalf-of exchanges with audience and scope, no requested token type', () => {
    for (const profile of ['okta', 'auth0'] as const) {
      expect(fields(exchangeBody(defaultDialect(profile), { ...target, audience: 'api://reviews' }))).toEqual({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: 'subject.jwt.value',
        subject_token_type: ACCESS_TOKEN_TYPE,
        audience: 'api://reviews',
        scope: 'reviews:read reviews:write',
      });
    }
  });

  it('names the target as resource, or as both, when configured', () => {
    const resource = fields(exchangeBody({ grant: 'token-exchange', targetParameter: 'resource' }, { ...target, audience: 'https://reviews.example/' }));
    expect(resource.resource).toBe('https://reviews.example/');
    expect(resource.audience).toBeUndefined();
    const both = fields(exchangeBody({ grant: 'token-exchange', targetParameter: 'both' }, target));
    expect([both.audience, both.resource]).toEqual(['reviews', 'reviews']);
  });

  it('leaves scope out when there is none rather than sending it empty', () => {
    expect(exchangeBody(defaultDialect('okta'), { ...target, scopes: [] }).has('scope')).toBe(false);
  });

  it('carries the actor token of a brokered call in RFC 8693 words', () => {
    const body = fields(exchangeBody(defaultDialect('rfc9068'), { ...target, actorToken: 'actor.jwt.value' }));
    expect([body.actor_token, body.actor_token_type]).toEqual(['actor.jwt.value', ACCESS_TOKEN_TYPE]);
  });

  it("spells Entra's on-behalf-of grant: jwt-bearer, the assertion, requested_token_use and <app id URI>/.default", () => {
    expect(fields(exchangeBody(defaultDialect('entra'), { ...target, audience: 'api://reviews-app' }))).toEqual({
      grant_type: JWT_BEARER_GRANT,
      assertion: 'subject.jwt.value',
      requested_token_use: 'on_behalf_of',
      scope: 'api://reviews-app/.default',
    });
    const named = fields(exchangeBody(defaultDialect('entra'), { ...target, audience: 'api://reviews-app', entraScope: 'api://reviews-app/Reviews.Read' }));
    expect(named.scope).toBe('api://reviews-app/Reviews.Read');
  });
});
