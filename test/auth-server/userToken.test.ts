import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { runScript } from '../helpers/runScript.js';

describe('npm run token', () => {
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(() => auth?.stop());

  it('prints a router token for alice that verifies against the JWKS with the RFC 9068 claims', async () => {
    const result = await runScript('scripts/token.ts', ['alice', '--issuer', auth.issuer]);
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    const discovery = (await (await fetch(`${auth.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string; grant_types_supported: string[] };
    expect(discovery.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:token-exchange');
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: auth.issuer,
      audience: 'deputy-router',
      typ: 'at+jwt',
      requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id', 'scope'],
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: 'alice', client_id: 'web-app', aud: 'deputy-router' });
    expect(String(payload.scope).split(' ')).toEqual(expect.arrayContaining(['inventory:read', 'reviews:read', 'trace:read']));
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('passes --scope through, capped by what the router audience defines', async () => {
    const result = await runScript('scripts/token.ts', ['bob', '--issuer', auth.issuer, '--scope', 'openid inventory:read made:up']);
    expect(result.code).toBe(0);
    const payload = JSON.parse(Buffer.from(result.stdout.trim().split('.')[1], 'base64url').toString());
    expect(payload.scope).toBe('inventory:read');
  });

  it('fails with a clear message and no token for a wrong password', async () => {
    const result = await runScript('scripts/token.ts', ['alice', '--issuer', auth.issuer, '--password', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("login refused for user 'alice'");
    expect(result.stdout).toBe('');
  });

  it('names the authorization server and its URL when it cannot be reached', async () => {
    const result = await runScript('scripts/token.ts', ['alice', '--issuer', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the authorization server at http://127.0.0.1:9');
  });

  it('fails for an unknown user', async () => {
    const result = await runScript('scripts/token.ts', ['mallory', '--issuer', auth.issuer]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('login refused');
  });
});
