import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deputyIdentity } from '../../../subgraph-kit/context/deputyContext.js';
import { DecisionLog, InvalidTokenError, reportDecisions, unauthenticated } from '../../../subgraph-kit/index.js';
import type { VerifiedToken } from '../../../lib/verifyAccessToken.js';

const verified = (changes: Partial<VerifiedToken> = {}): VerifiedToken => ({
  sub: 'alice',
  clientId: 'deputy-router',
  scopes: ['reviews:read'],
  exp: 2_000_000_000,
  jti: 'j1',
  act: { sub: 'deputy-router', act: { sub: 'accounts-service', act: { sub: 'web-bff' } } },
  claims: { sub: 'alice', tenant: 'acme' },
  ...changes,
});

describe('the deputy context value', () => {
  it('lists the act chain most recent actor first, as RFC 8693 nests it', () => {
    expect(deputyIdentity(verified(), 'a.b.c', false).actorChain).toEqual(['deputy-router', 'accounts-service', 'web-bff']);
  });

  it("names the token's client as the actor of an act-less vendor token, and nobody for a service as itself", () => {
    expect(deputyIdentity(verified({ act: undefined }), 'a.b.c', true).actorChain).toEqual(['deputy-router']);
    expect(deputyIdentity(verified({ act: undefined, sub: 'deputy-router' }), 'a.b.c', true).actorChain).toEqual([]);
    expect(deputyIdentity(verified({ act: undefined }), 'a.b.c', false).actorChain).toEqual([]);
  });

  it("carries a fingerprint of the token (its SHA-256's first 12 hex digits, as the router's trace shows it), never the token", () => {
    const identity = deputyIdentity(verified(), 'header.payload.signature', false);
    expect(identity.fingerprint).toBe(createHash('sha256').update('header.payload.signature').digest('hex').slice(0, 12));
    expect(JSON.stringify(identity)).not.toContain('header.payload.signature');
  });

  it('keeps subject, client, scopes, token id, expiry and every claim', () => {
    expect(deputyIdentity(verified(), 'a.b.c', false)).toMatchObject({ subject: 'alice', clientId: 'deputy-router', scopes: ['reviews:read'], tokenId: 'j1', expiresAt: 2_000_000_000, claims: { tenant: 'acme' } });
  });
});

describe('decision reporting', () => {
  it('adds the decisions under extensions.authorization in the shape the router reads, beside other extensions', () => {
    const log = new DecisionLog();
    log.record('User.birthday', 'deny', 'scope accounts:read');
    log.record('User.birthday', 'deny', 'scope accounts:read');
    expect(reportDecisions('accounts', log.list(), { cost: 3 })).toEqual({
      cost: 3,
      authorization: { subgraph: 'accounts', decisions: [{ field: 'User.birthday', decision: 'deny', rule: 'scope accounts:read', count: 2 }] },
    });
  });

  it('leaves the extensions as they are when no rule decided anything', () => {
    expect(reportDecisions('accounts', [], undefined)).toBeUndefined();
  });

  it('answers a refused token with 401, the RFC 6750 challenge, code UNAUTHENTICATED and the reason', () => {
    const refusal = unauthenticated(new InvalidTokenError('wrong_audience'));
    expect(refusal.status).toBe(401);
    expect(refusal.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="token issued for another audience"');
    expect(refusal.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'wrong_audience' });
  });
});
