import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createTokenVerifier, type TokenVerifierOptions } from '../../../subgraph-kit/index.js';

// Unit test: a local key pair and a local JWKS (createLocalJWKSet) stand in for the issuer, so
// key lookups can be counted and no connection is opened.

const ISSUER = 'http://issuer.test';
const { publicKey, privateKey } = await generateKeyPair('ES256');
const JWKS = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };

function countingKeys() {
  const local = createLocalJWKSet(JWKS);
  const keys: JWTVerifyGetKey & { lookups: number } = Object.assign((header: Parameters<JWTVerifyGetKey>[0], token: Parameters<JWTVerifyGetKey>[1]) => {
    keys.lookups += 1;
    return local(header, token);
  }, { lookups: 0 });
  return keys;
}

interface Signed {
  claims?: JWTPayload;
  typ?: string | null;
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
}

/** A token as the embedded server issues one for the inventory subgraph, with `changes` applied (undefined removes a claim). */
function sign({ claims = {}, typ = 'at+jwt', audience = 'inventory', issuer = ISSUER, expiresIn = '5m' }: Signed = {}): Promise<string> {
  const payload: JWTPayload = { sub: 'alice', client_id: 'deputy-router', jti: crypto.randomUUID(), scope: 'inventory:read', act: { sub: 'deputy-router', act: { sub: 'reviews-service' } }, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const header = typ === null ? { alg: 'ES256', kid: 'k1' } : { alg: 'ES256', kid: 'k1', typ };
  return new SignJWT(payload).setProtectedHeader(header).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime(expiresIn).sign(privateKey);
}

function verifier(options: Partial<TokenVerifierOptions> = {}) {
  const keys = countingKeys();
  return { keys, verifier: createTokenVerifier({ issuer: ISSUER, audience: 'inventory', keys, clockToleranceSeconds: 0, ...options }) };
}

const refusal = (reason: string) => expect.objectContaining({ code: 'UNAUTHENTICATED', reason });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createTokenVerifier', () => {
  it('resolves the caller of a delegated token, from the token or from an Authorization header', async () => {
    const token = await sign();
    const { verifier: v } = verifier();
    const fromHeader = await v.verify(`Bearer ${token}`);
    expect(fromHeader).toMatchObject({ subject: 'alice', clientId: 'deputy-router', scopes: ['inventory:read'], actorChain: ['deputy-router', 'reviews-service'] });
    expect(await v.verify(token)).toEqual(fromHeader);
  });

  it.each([
    ['no credential', undefined, 'missing_token'],
    ['an empty header', '', 'missing_token'],
    ['another scheme', 'Basic YWxpY2U6cGFzcw==', 'not_bearer'],
    ['two Authorization headers', ['Bearer a.b.c', 'Bearer d.e.f'], 'duplicate_authorization'],
    ['a header naming no token', 'Bearer', 'not_bearer'],
    ['a token over 8 KB', `${'x'.repeat(9000)}.y.z`, 'token_too_large'],
    ['a token over 8 KB in a header', `Bearer ${'x'.repeat(9000)}`, 'token_too_large'],
    ['something that is not a JWT', 'not.a-token', 'malformed_token'],
  ])('refuses %s with reason %s', async (_what, credential, reason) => {
    await expect(verifier().verifier.verify(credential)).rejects.toEqual(refusal(reason as string));
  });

  it.each<[string, Signed, string]>([
    ['a token for another audience', { audience: 'products' }, 'wrong_audience'],
    ['a token from another issuer', { issuer: 'http://elsewhere.test' }, 'wrong_issuer'],
    ['an expired token', { expiresIn: Math.floor(Date.now() / 1000) - 60 }, 'token_expired'],
    ['an ID token (typ JWT) under the RFC 9068 profile', { typ: 'JWT' }, 'wrong_type'],
    ['a token without a client', { claims: { client_id: undefined } }, 'missing_claim'],
    ['a token with no act chain', { claims: { act: undefined } }, 'not_delegated'],
    ["a client's own token delegated by the router", { claims: { sub: 'deputy-router' } }, 'not_delegated'],
    ['a delegation by an actor it does not accept', { claims: { act: { sub: 'products-service' } } }, 'actor_not_allowed'],
  ])('refuses %s with reason %s', async (_what, signed, reason) => {
    await expect(verifier().verifier.verify(await sign(signed))).rejects.toEqual(refusal(reason));
  });

  it('refuses a token signed by another key as invalid_signature, and one naming an unknown key as unknown_key', async () => {
    const stranger = await generateKeyPair('ES256');
    const forged = await new SignJWT({ sub: 'alice', client_id: 'deputy-router', jti: 'j', act: { sub: 'deputy-router' } })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' }).setIssuer(ISSUER).setAudience('inventory').setIssuedAt().setExpirationTime('5m').sign(stranger.privateKey);
    await expect(verifier().verifier.verify(forged)).rejects.toEqual(refusal('invalid_signature'));
    const unknownKid = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k2', typ: 'at+jwt' }).sign(privateKey);
    await expect(verifier().verifier.verify(unknownKid)).rejects.toEqual(refusal('unknown_key'));
  });

  it('accepts the broker callers and the services as themselves that its acceptance names', async () => {
    const { verifier: v } = verifier({ acceptance: { actors: ['deputy-router', 'products-service'], servicesAsThemselves: ['audit-service'] } });
    await expect(v.verify(await sign({ claims: { act: { sub: 'products-service' } } }))).resolves.toMatchObject({ actorChain: ['products-service'] });
    const asItself = (id: string) => sign({ claims: { sub: id, client_id: id, act: undefined } });
    await expect(v.verify(await asItself('audit-service'))).resolves.toMatchObject({ subject: 'audit-service', actorChain: [] });
    await expect(v.verify(await asItself('reviews-service'))).rejects.toEqual(refusal('not_delegated'));
  });

  describe('the SDL reader (the router reading `_service { sdl }` with its own token)', () => {
    const own = (client: string, claims: JWTPayload = {}) => sign({ claims: { sub: client, client_id: client, act: undefined, scope: 'inventory:write', ...claims } });

    it("marks the router's own token as an SDL reader by default, with no scope whatever the token holds", async () => {
      const caller = await verifier().verifier.verify(await own('deputy-router'));
      expect(caller).toMatchObject({ subject: 'deputy-router', clientId: 'deputy-router', actorChain: [], scopes: [], sdlReaderOnly: true });
    });

    it('leaves a delegated token unmarked', async () => {
      expect((await verifier().verifier.verify(await sign())).sdlReaderOnly).toBeUndefined();
    });

    it.each<[string, Partial<TokenVerifierOptions>, () => Promise<string>]>([
      ["another client's own token", {}, () => own('reviews-service')],
      ["the router's token for a user without act", {}, () => sign({ claims: { act: undefined } })],
      ["the router's own token with an act claim", {}, () => own('deputy-router', { act: { sub: 'deputy-router' } })],
      ["the router's own token when sdlReaders is []", { sdlReaders: [] }, () => own('deputy-router')],
      ["the router's own token when sdlReaders names another client", { sdlReaders: ['registry'] }, () => own('deputy-router')],
    ])('refuses %s with reason not_delegated', async (_what, options, token) => {
      await expect(verifier(options).verifier.verify(await token())).rejects.toEqual(refusal('not_delegated'));
    });

    it('marks the clients sdlReaders names, and keeps a service the acceptance lets call as itself a full caller', async () => {
      const { verifier: v } = verifier({ sdlReaders: ['registry', 'audit-service'], acceptance: { actors: ['deputy-router'], servicesAsThemselves: ['audit-service'] } });
      expect(await v.verify(await own('registry'))).toMatchObject({ subject: 'registry', sdlReaderOnly: true });
      const service = await v.verify(await own('audit-service'));
      expect(service.sdlReaderOnly).toBeUndefined();
      expect(service.scopes).toEqual(['inventory:write']);
    });

    it('still refuses a reader token for another audience (wrong_audience)', async () => {
      await expect(verifier().verifier.verify(await sign({ audience: 'products', claims: { sub: 'deputy-router', act: undefined } }))).rejects.toEqual(refusal('wrong_audience'));
    });

    it('marks it the same when served from the cache', async () => {
      const token = await own('deputy-router');
      const { keys, verifier: v } = verifier();
      expect((await v.verify(token)).sdlReaderOnly).toBe(true);
      expect((await v.verify(token)).sdlReaderOnly).toBe(true);
      expect(keys.lookups).toBe(1);
    });
  });

  it('accepts an undelegated token only when told that any token for the audience will do', async () => {
    const token = await sign({ claims: { act: undefined } });
    await expect(verifier({ acceptance: false }).verifier.verify(token)).resolves.toMatchObject({ subject: 'alice', actorChain: [] });
  });

  it('verifies a token once and serves it from the cache until its exp, then refuses it as expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await sign({ expiresIn: '60s' });
    const { keys, verifier: v } = verifier();
    for (let i = 0; i < 16; i++) await v.verify(`Bearer ${token}`);
    expect(keys.lookups).toBe(1);
    vi.setSystemTime(Date.now() + 61_000);
    await expect(v.verify(`Bearer ${token}`)).rejects.toEqual(refusal('token_expired'));
    expect(keys.lookups).toBe(2);
  });

  it('does not cache a refusal: a token refused once is verified again', async () => {
    const token = await sign({ claims: { act: undefined } });
    const { keys, verifier: v } = verifier();
    await expect(v.verify(token)).rejects.toEqual(refusal('not_delegated'));
    await expect(v.verify(token)).rejects.toEqual(refusal('not_delegated'));
    expect(keys.lookups).toBe(2);
  });
});

describe('createTokenVerifier with the identity-provider profiles', () => {
  // Act-less exchanged tokens as each vendor issues them: the client they were issued to (the router) is the actor.
  it.each<[string, Signed, Record<string, unknown>]>([
    ['keycloak', { typ: 'JWT', claims: { client_id: undefined, act: undefined, azp: 'deputy-router' } }, { clientId: 'deputy-router', scopes: ['inventory:read'] }],
    ['entra', { typ: 'JWT', claims: { client_id: undefined, act: undefined, scope: undefined, jti: undefined, uti: 'u1', azp: 'deputy-router', scp: 'inventory.read', roles: ['Clerk'] } }, { tokenId: 'u1', scopes: ['inventory.read', 'Clerk'] }],
    ['okta', { typ: null, claims: { client_id: undefined, act: undefined, scope: undefined, cid: 'deputy-router', scp: ['inventory:read'] } }, { clientId: 'deputy-router', scopes: ['inventory:read'] }],
    ['auth0', { typ: 'JWT', claims: { client_id: undefined, act: undefined, azp: 'deputy-router', permissions: ['read:stock'] } }, { scopes: ['inventory:read', 'read:stock'] }],
  ])('%s: reads the client, scopes and token id where the vendor puts them, with the router as the actor', async (profile, signed, expected) => {
    const token = await sign(signed);
    const caller = await verifier({ profile: profile as TokenVerifierOptions['profile'] }).verifier.verify(token);
    expect(caller).toMatchObject({ subject: 'alice', actorChain: ['deputy-router'], ...expected });
    // The same token is not an RFC 9068 access token: its typ, or its claims, give it away.
    await expect(verifier().verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('keycloak: refuses an act-less token issued to a client it does not accept as the actor', async () => {
    const token = await sign({ typ: 'JWT', claims: { client_id: undefined, act: undefined, azp: 'web-app' } });
    await expect(verifier({ profile: 'keycloak' }).verifier.verify(token)).rejects.toEqual(refusal('actor_not_allowed'));
  });
});

describe('createTokenVerifier without keys or a jwks_uri', () => {
  it("discovers the issuer's jwks_uri on first use, and asks again after a failed discovery", async () => {
    const asked: string[] = [];
    let issuerUp = false;
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      if (!issuerUp) throw new TypeError('fetch failed');
      if (url.endsWith('/.well-known/openid-configuration')) return Response.json({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks`, token_endpoint: `${ISSUER}/token` });
      if (url === `${ISSUER}/jwks`) return Response.json(JWKS);
      return new Response(null, { status: 404 });
    });
    const v = createTokenVerifier({ issuer: ISSUER, audience: 'inventory' });
    expect(asked).toEqual([]);
    const token = await sign();
    await expect(v.verify(token)).rejects.toEqual(refusal('keys_unavailable'));
    issuerUp = true;
    await expect(v.verify(token)).resolves.toMatchObject({ subject: 'alice' });
    expect(asked.slice(-2)).toEqual([`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/jwks`]);
  });
});
