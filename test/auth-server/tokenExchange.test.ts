import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, claimsOf, startAuth, type TestAuth } from '../helpers/startAuth.js';

describe('token exchange (RFC 8693) at the real authorization server', () => {
  let auth: TestAuth;
  let alice: string;
  const exchange = (extra: Record<string, string | string[]>, client?: { id: string; secret: string } | null) =>
    auth.token({ grant_type: TOKEN_EXCHANGE, subject_token: alice, subject_token_type: ACCESS_TOKEN_TYPE, ...extra }, client);

  beforeAll(async () => {
    auth = await startAuth();
    alice = await auth.userToken('alice');
  });
  afterAll(() => auth?.stop());

  it('issues a token for exactly one audience, for the user, with the router as actor', async () => {
    const response = await exchange({ audience: 'inventory', scope: 'inventory:read' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', scope: 'inventory:read' });
    expect(response.body.expires_in).toBeGreaterThan(0);
    expect(response.body.expires_in).toBeLessThanOrEqual(300);
    const jwks = createRemoteJWKSet(new URL(`${auth.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(String(response.body.access_token), jwks, {
      issuer: auth.issuer,
      audience: 'inventory',
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'alice', aud: 'inventory', client_id: 'deputy-router', act: { sub: 'deputy-router' }, scope: 'inventory:read' });
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('accepts the audience as a resource indicator', async () => {
    const response = await exchange({ resource: 'urn:deputy:subgraph:reviews' });
    expect(response.status).toBe(200);
    expect(claimsOf(String(response.body.access_token)).aud).toBe('reviews');
  });

  it('narrows scopes to what the audience defines and reports the narrower scope', async () => {
    const response = await exchange({ audience: 'inventory', scope: 'inventory:read reviews:read' });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe('inventory:read');
    expect(claimsOf(String(response.body.access_token)).scope).toBe('inventory:read');
  });

  it('without a scope parameter grants no scope (a client gets only what it names)', async () => {
    const response = await exchange({ audience: 'reviews' });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe('');
  });

  it('grants exactly the named scopes the subject holds', async () => {
    const response = await exchange({ audience: 'reviews', scope: 'reviews:read reviews:write' });
    expect(response.body.scope).toBe('reviews:read reviews:write');
  });

  it('grants no scope for an empty scope parameter', async () => {
    const response = await exchange({ audience: 'reviews', scope: '' });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe('');
    expect(claimsOf(String(response.body.access_token)).scope).toBeUndefined();
  });

  it('refuses a public client with unauthorized_client', async () => {
    const response = await exchange({ audience: 'inventory', client_id: 'web-app' }, null);
    expect(response.body.error).toBe('unauthorized_client');
  });

  it('refuses a wrong client secret with invalid_client and 401', async () => {
    const response = await exchange({ audience: 'inventory' }, { id: 'deputy-router', secret: 'not-the-secret' });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    expect(JSON.stringify(response.body)).not.toContain('not-the-secret');
  });

  it('refuses a subject token issued to another audience with invalid_request', async () => {
    const exchanged = await exchange({ audience: 'accounts' });
    const response = await exchange({ subject_token: String(exchanged.body.access_token), audience: 'inventory' });
    expect(response.body).toMatchObject({ error: 'invalid_request' });
    expect(String(response.body.error_description)).toContain("aud must be 'deputy-router'");
  });

  it('refuses a subject token with a tampered signature with invalid_request', async () => {
    const [header, payload, signature] = alice.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const response = await exchange({ subject_token: `${header}.${payload}.${flipped}`, audience: 'inventory' });
    expect(response.body.error).toBe('invalid_request');
    expect(response.body.error_description).toBe('subject_token rejected: invalid signature');
  });

  it('refuses a subject token with a forged payload with invalid_request', async () => {
    const [header, , signature] = alice.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(alice), sub: 'bob' })).toString('base64url');
    const response = await exchange({ subject_token: `${header}.${forged}.${signature}`, audience: 'inventory' });
    expect(response.body.error).toBe('invalid_request');
  });

  it('refuses an unknown audience with invalid_target', async () => {
    const response = await exchange({ audience: 'payments' });
    expect(response.body).toMatchObject({ error: 'invalid_target' });
    expect(String(response.body.error_description)).toContain("unknown audience or resource 'payments'");
  });

  it('refuses two audiences with invalid_target', async () => {
    const response = await exchange({ audience: ['inventory', 'reviews'] });
    expect(response.body).toMatchObject({ error: 'invalid_target', error_description: 'exactly one target audience is allowed per exchange' });
  });

  it('refuses a request without audience or resource with invalid_target', async () => {
    const response = await exchange({});
    expect(response.body.error).toBe('invalid_target');
  });

  it('refuses a missing subject_token_type with invalid_request', async () => {
    const response = await auth.token({ grant_type: TOKEN_EXCHANGE, subject_token: alice, audience: 'inventory' });
    expect(response.body).toMatchObject({ error: 'invalid_request', error_description: "missing required parameter 'subject_token_type'" });
  });

  it('refuses a missing subject_token with invalid_request', async () => {
    const response = await auth.token({ grant_type: TOKEN_EXCHANGE, subject_token_type: ACCESS_TOKEN_TYPE, audience: 'inventory' });
    expect(response.body.error).toBe('invalid_request');
  });

  it('refuses an unsupported subject_token_type with invalid_request', async () => {
    const response = await exchange({ subject_token_type: 'urn:ietf:params:oauth:token-type:id_token', audience: 'inventory' });
    expect(response.body.error).toBe('invalid_request');
  });

  it('refuses duplicated single-valued parameters with invalid_request', async () => {
    const response = await auth.token({ grant_type: TOKEN_EXCHANGE, subject_token: [alice, alice], subject_token_type: ACCESS_TOKEN_TYPE, audience: 'inventory' });
    expect(response.body.error).toBe('invalid_request');
    expect(String(response.body.error_description)).toContain('subject_token');
  });

  it('refuses an actor_token without actor_token_type with invalid_request', async () => {
    const response = await exchange({ actor_token: alice, audience: 'inventory' });
    expect(response.body).toMatchObject({ error: 'invalid_request', error_description: "missing required parameter 'actor_token_type'" });
  });

  it('refuses an actor_token_type without actor_token with invalid_request', async () => {
    const response = await exchange({ actor_token_type: ACCESS_TOKEN_TYPE, audience: 'inventory' });
    expect(response.body.error).toBe('invalid_request');
  });

  it('refuses an unsupported requested_token_type with invalid_request', async () => {
    const response = await exchange({ requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token', audience: 'inventory' });
    expect(response.body.error).toBe('invalid_request');
  });

  it('nests the prior actor when a service exchanges a token it received (RFC 8693 §4.1)', async () => {
    const forAccounts = await exchange({ audience: 'accounts' });
    const service = { id: 'accounts-service', secret: auth.secret('accounts-service') };
    const response = await auth.token(
      { grant_type: TOKEN_EXCHANGE, subject_token: String(forAccounts.body.access_token), subject_token_type: ACCESS_TOKEN_TYPE, audience: 'reviews' },
      service,
    );
    expect(response.status).toBe(200);
    expect(claimsOf(String(response.body.access_token))).toMatchObject({
      sub: 'alice',
      aud: 'reviews',
      client_id: 'accounts-service',
      act: { sub: 'accounts-service', act: { sub: 'deputy-router' } },
    });
    // Scopes only narrow: the accounts token held no reviews scope, so none is passed on.
    expect(response.body.scope).toBe('');
    expect(claimsOf(String(response.body.access_token)).scope).toBeUndefined();
  });
});
