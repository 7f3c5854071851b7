import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { createRequestAuthenticator } from '../../../subgraphs/lib/authenticateRequest.js';
import { checkDelegation } from '../../../lib/checkDelegation.js';

// Unit test: a local key pair stands in for the issuer so verification calls can be counted.

async function setup() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
  let keyLookups = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    keyLookups += 1;
    return jwks(header, token);
  };
  const acceptance = { actors: ['deputy-router'], servicesAsThemselves: ['audit-service'] };
  const authenticate = createRequestAuthenticator({ issuer: 'http://issuer.test', audience: 'inventory', algorithms: ['ES256'], clockToleranceSeconds: 0, keys }, (token) =>
    checkDelegation(token, acceptance),
  );
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ client_id: 'deputy-router', jti: crypto.randomUUID(), scope: 'inventory:read', act: { sub: 'deputy-router', act: { sub: 'older' } }, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer('http://issuer.test')
      .setAudience('inventory')
      .setSubject(String(claims.sub ?? 'alice'))
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  return { authenticate, sign, lookups: () => keyLookups };
}

const request = (authorization: string) => ({ headersDistinct: { authorization: [authorization] } }) as unknown as IncomingMessage;

describe('a subgraph request authenticator', () => {
  it('verifies a token once, then serves it from the cache for the rest of its life', async () => {
    const { authenticate, sign, lookups } = await setup();
    const token = await sign({});
    for (let i = 0; i < 16; i++) await authenticate(request(`Bearer ${token}`));
    expect(lookups()).toBe(1);
  });

  it('returns the subject, scopes and the act chain (outermost actor first)', async () => {
    const { authenticate, sign } = await setup();
    const verified = await authenticate(request(`Bearer ${await sign({})}`));
    expect(verified).toMatchObject({ sub: 'alice', clientId: 'deputy-router', scopes: ['inventory:read'], act: { sub: 'deputy-router', act: { sub: 'older' } } });
  });

  it('refuses a token missing a required claim', async () => {
    const { authenticate, sign } = await setup();
    await expect(authenticate(request(`Bearer ${await sign({ client_id: undefined })}`))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'missing_claim' });
  });

  it('refuses a token without an act chain: not_delegated', async () => {
    const { authenticate, sign } = await setup();
    await expect(authenticate(request(`Bearer ${await sign({ act: undefined })}`))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'not_delegated' });
  });

  it('refuses a delegation whose most recent actor it does not accept: actor_not_allowed', async () => {
    const { authenticate, sign } = await setup();
    const token = await sign({ act: { sub: 'products-service', act: { sub: 'deputy-router' } } });
    await expect(authenticate(request(`Bearer ${token}`))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'actor_not_allowed' });
  });

  it("refuses a client's own token delegated by the router (sub = client_id): not_delegated", async () => {
    const { authenticate, sign } = await setup();
    await expect(authenticate(request(`Bearer ${await sign({ sub: 'deputy-router' })}`))).rejects.toMatchObject({ reason: 'not_delegated' });
  });

  it('accepts a service as itself only when its configuration names it', async () => {
    const { authenticate, sign } = await setup();
    const asItself = (id: string) => sign({ sub: id, client_id: id, act: undefined });
    await expect(authenticate(request(`Bearer ${await asItself('audit-service')}`))).resolves.toMatchObject({ sub: 'audit-service' });
    await expect(authenticate(request(`Bearer ${await asItself('reviews-service')}`))).rejects.toMatchObject({ reason: 'not_delegated' });
  });

  it('refuses a non-Bearer scheme', async () => {
    const { authenticate } = await setup();
    await expect(authenticate(request('Basic YWxpY2U6cGFzcw=='))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
