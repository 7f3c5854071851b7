import { SignJWT, importJWK, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { RunningAuthServer } from '../../auth-server/startAuthServer.js';
import { startLocalAuthServer, type AuthOverrides } from '../../auth-server/startLocalAuthServer.js';
import { generateSigningJwks } from '../../auth-server/signingKeys.js';
import { ALL_USER_SCOPES } from '../../auth-server/demoIdentities.js';
import type { AuthAuditEvent } from '../../auth-server/auditEvents.js';
import { obtainUserToken } from '../../scripts/token/obtainUserToken.js';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** A real authorization server on an ephemeral port, with secrets generated for this run. */
export interface TestAuth {
  server: RunningAuthServer;
  /** Successful exchanges so far, across restarts. */
  exchanges(): number;
  /** Stops the server (an outage); `restart` brings it back on the same port with the same keys. */
  restart(): Promise<void>;
  /** The server's audit events (direct service exchanges, revocations, security event deliveries), across restarts. */
  audit: AuthAuditEvent[];
  /** Every token the server issued so far (access, ID and refresh tokens), for leak checks. */
  issued: string[];
  /** Every secret of this run: client secrets and the private signing keys' parameters. */
  secrets(): string[];
  /** Key rotation: restarts with a new signing key first in the JWKS, the old ones still published. */
  rotateKeys(): Promise<void>;
  issuer: string;
  env: NodeJS.ProcessEnv;
  secret(clientId: string): string;
  /** A user token for the router, through the real authorization code + PKCE flow. */
  userToken(user: string, scope?: string): Promise<string>;
  /** Signs a JWT with the issuer's own current key: for tokens whose only flaw is a claim or header. */
  signAsIssuer(claims: JWTPayload, header?: Partial<JWTHeaderParameters>): Promise<string>;
  /** POSTs to the token endpoint with HTTP Basic client authentication. */
  token(params: Record<string, string | string[]>, client?: { id: string; secret: string } | null): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** Every scope a user token can hold; each user is granted what of it they are entitled to. */
export const ALL_SCOPES = ALL_USER_SCOPES;

/** Starts the authorization server; `overrides` replace parts of the default configuration. */
export async function startAuth(overrides: AuthOverrides = {}): Promise<TestAuth> {
  const issued: string[] = [];
  const audit: AuthAuditEvent[] = [];
  const local = await startLocalAuthServer(overrides, { tokenIssued: (token: string) => issued.push(token), audit: (event: AuthAuditEvent) => void audit.push(event) });
  const { config, issuer, secret } = local;
  return {
    get server() {
      return local.server;
    },
    exchanges: local.exchanges,
    restart: local.restart,
    issued,
    audit,
    secrets: () => [
      ...local.clientIds.map(secret),
      ...config.signingJwks.keys.flatMap((key) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((part) => (key as Record<string, unknown>)[part])).filter((value): value is string => typeof value === 'string'),
    ],
    async rotateKeys() {
      const [fresh] = (await generateSigningJwks()).keys;
      config.signingJwks = { keys: [fresh, ...config.signingJwks.keys] };
      await local.stop();
      await local.restart();
    },
    issuer,
    env: local.env,
    secret,
    async userToken(user, scope = ALL_SCOPES) {
      const result = await obtainUserToken({ issuer, username: user, password: user, scope, redirectUri: 'http://127.0.0.1:4000/callback' });
      return result.accessToken;
    },
    async signAsIssuer(claims, header = {}) {
      const jwk = config.signingJwks.keys[0] as JWK;
      const key = await importJWK(jwk, jwk.alg);
      return new SignJWT(claims).setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid, typ: 'at+jwt', ...header }).sign(key);
    },
    async token(params, client = { id: 'deputy-router', secret: secret('deputy-router') }) {
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
      }
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (client) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
      const response = await fetch(`${issuer}/token`, { method: 'POST', headers, body });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    },
    stop: local.stop,
  };
}

export { claimsOf } from './decode.js';
