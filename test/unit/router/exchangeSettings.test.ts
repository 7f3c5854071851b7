import { describe, expect, it } from 'vitest';
import { parseRouterConfig } from '../../../router/config/loadRouterConfig.js';
import { authMethodFor, dialectFor, requestScopesFor } from '../../../router/delegation/exchangeClientFor.js';
import { ACCESS_TOKEN_TYPE } from '../../../router/delegation/exchangeDialect.js';

const config = (auth: Record<string, unknown> = {}, exchange: Record<string, unknown> = {}) =>
  parseRouterConfig({ auth: { issuer: 'https://idp.example.test', ...auth }, exchange: { clientSecret: 's', ...exchange } }, 'router.yaml');

describe('exchange settings from router.yaml', () => {
  it("takes the grant, the requested token type and the scope policy from auth.profile's defaults", () => {
    expect(dialectFor(config())).toEqual({ grant: 'token-exchange', targetParameter: 'audience', requestedTokenType: ACCESS_TOKEN_TYPE });
    expect(dialectFor(config({ profile: 'entra' }))).toMatchObject({ grant: 'entra-obo' });
    expect(dialectFor(config({ profile: 'okta' })).requestedTokenType).toBeUndefined();
    expect([requestScopesFor(config()), requestScopesFor(config({ profile: 'keycloak' }))]).toEqual(['held', 'configured']);
    expect([authMethodFor(config()), authMethodFor(config({ profile: 'entra' })), authMethodFor(config({ profile: 'entra' }, { authMethod: 'client_secret_basic' }))]).toEqual(['client_secret_basic', 'client_secret_post', 'client_secret_basic']);
  });

  it('lets each exchange key override the profile', () => {
    const custom = config({ profile: 'entra' }, { grant: 'token-exchange', targetParameter: 'both', requestedTokenType: 'urn:ietf:params:oauth:token-type:jwt', requestScopes: 'held' });
    expect(dialectFor(custom)).toEqual({ grant: 'token-exchange', targetParameter: 'both', requestedTokenType: 'urn:ietf:params:oauth:token-type:jwt' });
    expect(requestScopesFor(custom)).toBe('held');
  });

  it('refuses an unknown profile, grant or auth method, naming the key', () => {
    expect(() => config({ profile: 'ping' })).toThrow(/auth\.profile/);
    expect(() => config({}, { grant: 'saml-bearer' })).toThrow(/exchange\.grant/);
    expect(() => config({}, { authMethod: 'client_secret_jwt' })).toThrow(/exchange\.authMethod/);
  });

  it('requires the secret for the secret methods and the certificate and key for mutual TLS', () => {
    expect(() => parseRouterConfig({ auth: { issuer: 'https://idp.example.test' }, exchange: { authMethod: 'client_secret_post' } }, 'router.yaml')).toThrow(/exchange\.clientSecret/);
    expect(() => config({}, { authMethod: 'tls_client_auth', certificateFile: 'router.pem' })).toThrow(/exchange\.certificateFile: certificateFile and certificateKeyFile are required with tls_client_auth/);
    expect(config({}, { authMethod: 'tls_client_auth', certificateFile: 'router.pem', certificateKeyFile: 'router.key' }).exchange.authMethod).toBe('tls_client_auth');
  });

  it('accepts a list of audiences and per-key claim overrides at the edge', () => {
    const edge = config({ audience: ['api://router', 'router'], profile: 'entra', claims: { subject: 'oid', scopes: ['scp', 'roles'] }, tokenType: ['JWT', null] }).auth;
    expect(edge).toMatchObject({ audience: ['api://router', 'router'], claims: { subject: 'oid', scopes: ['scp', 'roles'] }, tokenType: ['JWT', null] });
  });
});
