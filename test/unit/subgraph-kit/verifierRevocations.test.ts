import { describe, expect, it } from 'vitest';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { createTokenVerifier, SESSION_REVOKED, TOKEN_CLAIMS_CHANGE } from '../../../subgraph-kit/index.js';

// Unit test: a local key pair and JWKS stand in for the issuer; SETs reach the receiver as Fetch API requests, no socket.

const ISSUER = 'http://issuer.test';
const { publicKey, privateKey } = await generateKeyPair('ES256');
const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
const NOW = Math.floor(Date.now() / 1000);

/** A delegated token for inventory, as the router would present it. */
const token = (sub: string, claims: JWTPayload = {}) =>
  new SignJWT({ sub, client_id: 'deputy-router', jti: crypto.randomUUID(), scope: 'inventory:read', act: { sub: 'deputy-router' }, iat: NOW - 30, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience('inventory')
    .setExpirationTime('5m')
    .sign(privateKey);

/** A SET as the issuer pushes one to this subgraph. */
const set = (events: Record<string, unknown>, audience = 'inventory') =>
  new SignJWT({ jti: crypto.randomUUID(), events })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'secevent+jwt' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .sign(privateKey);

const push = (body: string) => new Request('http://inventory.test/events', { method: 'POST', headers: { 'content-type': 'application/secevent+jwt' }, body });
const user = (sub: string) => ({ format: 'iss_sub', iss: ISSUER, sub });
const refusal = (reason: string) => expect.objectContaining({ code: 'UNAUTHENTICATED', reason });

describe('a subgraph verifier and its security events', () => {
  it("refuses a cached token once its user's claims changed, and still serves other users", async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'inventory', keys });
    const alice = await token('alice');
    const bob = await token('bob');
    await verifier.verify(alice);
    await verifier.verify(bob);
    const response = await verifier.events.fetch(push(await set({ [TOKEN_CLAIMS_CHANGE]: { subject: user('alice'), event_timestamp: NOW } })));
    expect(response.status).toBe(202);
    await expect(verifier.verify(alice)).rejects.toEqual(refusal('token_revoked'));
    await expect(verifier.verify(bob)).resolves.toMatchObject({ subject: 'bob' });
    await expect(verifier.verify(await token('alice', { iat: NOW + 1 }))).resolves.toMatchObject({ subject: 'alice' });
  });

  it("refuses a session's tokens, and the user's exchanged tokens that carry no session id", async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'inventory', keys });
    const subject = { format: 'complex', user: user('alice'), session: { format: 'opaque', id: 's1' } };
    await verifier.events.fetch(push(await set({ [SESSION_REVOKED]: { subject, event_timestamp: NOW } })));
    await expect(verifier.verify(await token('alice', { sid: 's1' }))).rejects.toEqual(refusal('token_revoked'));
    await expect(verifier.verify(await token('alice'))).rejects.toEqual(refusal('token_revoked'));
    await expect(verifier.verify(await token('alice', { sid: 's2' }))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('lets code record a revocation itself', async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'inventory', keys });
    const carol = await token('carol');
    verifier.revocations.record({ sub: 'carol', before: NOW, event: 'token-claims-change', jti: 'by-hand' });
    await expect(verifier.verify(carol)).rejects.toEqual(refusal('token_revoked'));
  });

  it("refuses a SET for another audience (the router's) with invalid_audience, revoking nothing", async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'inventory', keys });
    const response = await verifier.events.fetch(push(await set({ [TOKEN_CLAIMS_CHANGE]: { subject: user('alice') } }, 'deputy-router')));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ err: 'invalid_audience', description: expect.any(String) });
    expect(verifier.revocations.size).toBe(0);
  });

  it('refuses an oversized SET with 413 without reading it all', async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'inventory', keys, revocation: { maxEventBytes: 1024 } });
    const response = await verifier.events.fetch(push('x'.repeat(4096)));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ err: 'invalid_request' });
  });
});
