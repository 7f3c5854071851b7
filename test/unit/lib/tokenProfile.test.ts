import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy } from '../../../lib/verifyAccessToken.js';
import { acceptedAudiences, tokenProfile, type ProfileName } from '../../../lib/tokenProfile.js';

const ISSUER = 'https://idp.example.test';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });

async function sign(claims: JWTPayload, typ?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, iat: now, exp: now + 300, ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...(typ ? { typ } : {}) }).sign(privateKey);
}

const policy = (profile: ProfileName, audience: string | string[] = 'api-router', overrides = {}): AccessTokenPolicy => ({
  issuer: ISSUER,
  audience,
  algorithms: ['RS256'],
  clockToleranceSeconds: 5,
  keys,
  profile: tokenProfile(profile, overrides),
});

async function reasonFor(token: string, accepted: AccessTokenPolicy): Promise<string> {
  const error = await verifyAccessToken(token, accepted).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).reason;
}

// Each vendor's access token as its documentation shows it (claims Deputy reads, and the header).
const vendorTokens: Record<ProfileName, { typ?: string; claims: JWTPayload; client: string; scopes: string[]; id: string }> = {
  rfc9068: { typ: 'at+jwt', claims: { sub: 'u1', aud: 'api-router', client_id: 'web', scope: 'a:read b:write', jti: 'j1' }, client: 'web', scopes: ['a:read', 'b:write'], id: 'j1' },
  keycloak: { typ: 'JWT', claims: { sub: 'u1', aud: ['api-router', 'account'], azp: 'web', scope: 'openid a:read', jti: 'j1', typ: 'Bearer' }, client: 'web', scopes: ['openid', 'a:read'], id: 'j1' },
  entra: { typ: 'JWT', claims: { sub: 'u1', aud: 'api-router', azp: 'web-app-guid', scp: 'a.read b.write', roles: ['Reader'], uti: 'u-ti' }, client: 'web-app-guid', scopes: ['a.read', 'b.write', 'Reader'], id: 'u-ti' },
  okta: { claims: { sub: 'u1@example.test', aud: 'api-router', cid: '0oa-web', scp: ['a:read', 'openid'], uid: '00u1', jti: 'AT.1' }, client: '0oa-web', scopes: ['a:read', 'openid'], id: 'AT.1' },
  auth0: { typ: 'at+jwt', claims: { sub: 'auth0|u1', aud: ['api-router', 'https://tenant/userinfo'], client_id: 'web', scope: 'a:read', permissions: ['b:write'], jti: 'j1' }, client: 'web', scopes: ['a:read', 'b:write'], id: 'j1' },
};

describe('token profiles', () => {
  for (const [profile, vendor] of Object.entries(vendorTokens) as [ProfileName, (typeof vendorTokens)[ProfileName]][]) {
    it(`reads a ${profile} access token: its client, scopes and token id from that vendor's claims`, async () => {
      const verified = await verifyAccessToken(await sign(vendor.claims, vendor.typ), policy(profile));
      expect(verified).toMatchObject({ sub: vendor.claims.sub, clientId: vendor.client, scopes: vendor.scopes, jti: vendor.id });
    });
  }

  it('refuses a Keycloak-shaped token under the default RFC 9068 profile (typ JWT) with wrong_type', async () => {
    expect(await reasonFor(await sign(vendorTokens.keycloak.claims, 'JWT'), policy('rfc9068'))).toBe('wrong_type');
  });

  it('refuses an RFC 9068 token under the Keycloak profile when azp is missing with missing_claim', async () => {
    expect(await reasonFor(await sign(vendorTokens.rfc9068.claims, 'JWT'), policy('keycloak'))).toBe('missing_claim');
  });

  it('refuses an Entra token carrying jti but no uti with missing_claim', async () => {
    const { uti: _uti, ...withoutUti } = vendorTokens.entra.claims;
    expect(await reasonFor(await sign({ ...withoutUti, jti: 'j1' }, 'JWT'), policy('entra'))).toBe('missing_claim');
  });

  it('accepts a token without typ only where the profile says so (Okta), else wrong_type', async () => {
    const untyped = await sign(vendorTokens.okta.claims);
    await expect(verifyAccessToken(untyped, policy('okta'))).resolves.toMatchObject({ clientId: '0oa-web' });
    expect(await reasonFor(untyped, policy('okta', 'api-router', { tokenType: 'JWT' }))).toBe('wrong_type');
    expect(await reasonFor(await sign(vendorTokens.rfc9068.claims), policy('rfc9068'))).toBe('wrong_type');
  });

  it('reports the type before a claim: an ID token for another audience is wrong_type, not wrong_audience', async () => {
    expect(await reasonFor(await sign({ ...vendorTokens.rfc9068.claims, aud: 'web' }, 'JWT'), policy('rfc9068'))).toBe('wrong_type');
  });

  it('takes per-key overrides of where the client, scopes, id and subject are', async () => {
    const token = await sign({ oid: 'object-1', sub: 'pairwise', aud: 'api-router', appid: 'app', groups: ['g1'], jti: 'x', uti: 'y' }, 'JWT');
    const verified = await verifyAccessToken(token, policy('entra', 'api-router', { claims: { clientId: 'appid', scopes: ['groups'], tokenId: 'jti', subject: 'oid' } }));
    expect(verified).toMatchObject({ sub: 'object-1', clientId: 'app', scopes: ['g1'], jti: 'x' });
  });

  it("accepts Entra's two audience forms for one application, and nothing else", async () => {
    const guid = '11111111-2222-3333-4444-555555555555';
    expect(acceptedAudiences(tokenProfile('entra'), `api://${guid}`)).toEqual([guid, `api://${guid}`]);
    for (const aud of [guid, `api://${guid}`]) {
      await expect(verifyAccessToken(await sign({ ...vendorTokens.entra.claims, aud }, 'JWT'), policy('entra', `api://${guid}`))).resolves.toMatchObject({ sub: 'u1' });
    }
    expect(await reasonFor(await sign({ ...vendorTokens.entra.claims, aud: 'api://another' }, 'JWT'), policy('entra', `api://${guid}`))).toBe('wrong_audience');
    // Other profiles compare audiences exactly.
    expect(acceptedAudiences(tokenProfile('keycloak'), `api://${guid}`)).toEqual([`api://${guid}`]);
  });

  it('grants nothing from a scope claim of the wrong shape (an object)', async () => {
    const verified = await verifyAccessToken(await sign({ ...vendorTokens.okta.claims, scp: { admin: true } }, 'JWT'), policy('okta'));
    expect(verified.scopes).toEqual([]);
  });
});
