// A stand-in for a vendor's identity provider, on loopback: its discovery document, its JWKS,
// and its token endpoint answering exchanges the way the vendor's documentation says (each
// vendor's file, beside this one, cites the pages it follows). Tests only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from 'jose';

/** One token request as the provider received it: the form fields and the client's credentials. */
export interface ReceivedExchange {
  params: Record<string, string>;
  /** The client id from HTTP Basic or the body, and how it authenticated. */
  client?: { id: string; method: 'client_secret_basic' | 'client_secret_post' };
}

/** What a vendor's token endpoint answers: a status and a JSON body in its shape. */
export interface VendorAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** What the common server gives a vendor's exchange handler. */
export interface ExchangeTools {
  issuer: string;
  /** Verifies a token this provider issued (signature, issuer, expiry); undefined when it is not one. */
  verifyOwn(token: string): Promise<JWTPayload | undefined>;
  /** Signs a token in the vendor's header and claim shape. */
  sign(claims: JWTPayload, header: Record<string, unknown>, lifetimeSeconds: number): Promise<string>;
  /** The registered clients: id -> secret. */
  clients: Record<string, string>;
}

/** A vendor's dialect: where its endpoints are, what its user tokens look like, how it answers an exchange. */
export interface VendorDialect {
  name: string;
  /** Paths under the server's origin: the issuer (no trailing slash unless the vendor has one), the token endpoint, the JWKS. */
  paths: { issuer: string; token: string; jwks: string };
  /** A user's access token for `audience` requested by `clientId` (the front end), in the vendor's shape. */
  userToken(tools: ExchangeTools, user: string, clientId: string, audience: string, scopes: string[]): Promise<string>;
  /** Answers one token request. */
  exchange(tools: ExchangeTools, received: ReceivedExchange): Promise<VendorAnswer>;
}

export interface FakeIdentityProvider {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** Every token request received, in order. */
  received: ReceivedExchange[];
  /** The provider's keys, for subgraphs that verify its tokens. */
  keys: JWTVerifyGetKey;
  userToken(user: string, clientId: string, audience: string, scopes: string[]): Promise<string>;
  stop(): Promise<void>;
}

function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });
}

function clientOf(req: IncomingMessage, params: Record<string, string>, clients: Record<string, string>): ReceivedExchange['client'] {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
    return clients[id] !== undefined && clients[id] === secret ? { id, method: 'client_secret_basic' } : undefined;
  }
  if (params.client_id && params.client_secret !== undefined) {
    return clients[params.client_id] === params.client_secret ? { id: params.client_id, method: 'client_secret_post' } : undefined;
  }
  return undefined;
}

/** Starts a vendor's fake on an ephemeral loopback port with RS256 keys made now. */
export async function startFakeIdentityProvider(dialect: VendorDialect, clients: Record<string, string>): Promise<FakeIdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  const received: ReceivedExchange[] = [];
  let origin = '';
  const tools = (): ExchangeTools => ({
    issuer: `${origin}${dialect.paths.issuer}`,
    clients,
    async verifyOwn(token) {
      try {
        return (await jwtVerify(token, keys, { issuer: `${origin}${dialect.paths.issuer}` })).payload;
      } catch {
        return undefined;
      }
    },
    sign: (claims, header, lifetimeSeconds) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iat: now, nbf: now, exp: now + lifetimeSeconds, ...claims }).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(privateKey as CryptoKey);
    },
  });
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === `${dialect.paths.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`) {
      return answer(res, 200, {
        issuer: `${origin}${dialect.paths.issuer}`,
        token_endpoint: `${origin}${dialect.paths.token}`,
        jwks_uri: `${origin}${dialect.paths.jwks}`,
        authorization_endpoint: `${origin}${dialect.paths.issuer.replace(/\/$/, '')}/authorize`,
        grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.method === 'GET' && path === dialect.paths.jwks) return answer(res, 200, { keys: [jwk] });
    if (req.method === 'POST' && path === dialect.paths.token) {
      void readForm(req).then(async (params) => {
        const exchange: ReceivedExchange = { params, client: clientOf(req, params, clients) };
        received.push(exchange);
        const result = await dialect.exchange(tools(), exchange);
        answer(res, result.status, result.body);
      });
      return;
    }
    answer(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    issuer: `${origin}${dialect.paths.issuer}`,
    tokenEndpoint: `${origin}${dialect.paths.token}`,
    jwksUri: `${origin}${dialect.paths.jwks}`,
    received,
    keys,
    userToken: (user, clientId, audience, scopes) => dialect.userToken(tools(), user, clientId, audience, scopes),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
