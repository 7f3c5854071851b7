// The router's client authentication at a token endpoint, over real loopback HTTP(S):
// client_secret_post, private_key_jwt with a certificate thumbprint, RFC 8705 mutual TLS.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { clientSecretPost, privateKeyJwt, tlsClientAuth } from '../../router/delegation/clientAuthentication.js';
import { exchangeToken, type ExchangeClient } from '../../router/delegation/exchangeToken.js';
import { mutualTlsTransport } from '../../router/delegation/tokenTransport.js';
import { defaultDialect } from '../../router/delegation/exchangeDialect.js';
import { RefusalError } from '../../lib/errors/RefusalError.js';
import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

const dir = mkdtempSync(join(tmpdir(), 'deputy-client-auth-'));
const file = (name: string) => join(dir, name);

/** Throwaway CAs and certificates made with openssl at run time: a server certificate for 127.0.0.1, the router's client certificate, and a stranger's from another CA. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  for (const ca of ['ca', 'other-ca']) openssl('req', '-x509', ...curve, '-keyout', file(`${ca}.key`), '-out', file(`${ca}.pem`), '-days', '1', '-subj', `/CN=${ca}`);
  const issue = (name: string, ca: string, subject: string, extension: string) => {
    openssl('req', ...curve, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
    writeFileSync(file(`${name}.ext`), `${extension}\n`);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${ca}.pem`), '-CAkey', file(`${ca}.key`), '-CAcreateserial', '-out', file(`${name}.pem`), '-days', '1', '-extfile', file(`${name}.ext`));
  };
  issue('server', 'ca', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  issue('client', 'ca', '/CN=deputy-router', 'extendedKeyUsage=clientAuth');
  issue('stranger', 'other-ca', '/CN=deputy-router', 'extendedKeyUsage=clientAuth');
}

const answer = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ access_token: 'issued.token.value', token_type: 'Bearer', expires_in: '3599' }));
};

describe('client authentication at the token endpoint', () => {
  let plain: Server | ReturnType<typeof createHttpServer>;
  let plainUrl: string;
  const seenByPlain: { headers: IncomingHttpHeaders; body: string }[] = [];
  let mutual: Server;
  let mutualUrl: string;
  const seenByMutual: { authorized: boolean; subject: string; body: string }[] = [];

  beforeAll(async () => {
    makeCertificates();
    plain = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seenByPlain.push({ headers: req.headers, body });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    plainUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}/token`;
    mutual = createHttpsServer({ key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')), ca: readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const socket = req.socket as TLSSocket;
        seenByMutual.push({ authorized: socket.authorized, subject: String(socket.getPeerCertificate().subject?.CN), body });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => mutual.listen(0, '127.0.0.1', resolve));
    mutualUrl = `https://127.0.0.1:${(mutual.address() as { port: number }).port}/token`;
  });
  afterAll(async () => {
    await new Promise((resolve) => plain?.close(resolve));
    await new Promise((resolve) => mutual?.close(resolve));
  });

  const request = { subgraph: 'reviews', subjectToken: 'subject.jwt.value', audience: 'reviews', scopes: ['reviews:read'] };

  it('sends client_secret_post credentials in the body, never in a header, and reads a numeric-string expires_in', async () => {
    const client: ExchangeClient = { tokenEndpoint: plainUrl, authenticate: clientSecretPost('deputy-router', 's3cret'), timeoutMs: 2000, dialect: defaultDialect('entra') };
    const result = await exchangeToken(client, { ...request, audience: 'api://reviews' });
    expect(result.expiresIn).toBe(3599);
    const seen = seenByPlain.at(-1)!;
    const body = new URLSearchParams(seen.body);
    expect([body.get('client_id'), body.get('client_secret'), body.get('grant_type'), body.get('requested_token_use')]).toEqual(['deputy-router', 's3cret', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'on_behalf_of']);
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("signs a private_key_jwt assertion whose header carries the certificate's x5t#S256 thumbprint", async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(file('router.jwk'), JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'router-1', alg: 'ES256' }));
    const client: ExchangeClient = { tokenEndpoint: plainUrl, authenticate: await privateKeyJwt('deputy-router', file('router.jwk'), plainUrl, file('client.pem')), timeoutMs: 2000 };
    await exchangeToken(client, request);
    const body = new URLSearchParams(seenByPlain.at(-1)!.body);
    const header = decodeProtectedHeader(body.get('client_assertion')!);
    const expected = createHash('sha256').update(new X509Certificate(readFileSync(file('client.pem'))).raw).digest('base64url');
    expect(header).toMatchObject({ alg: 'ES256', kid: 'router-1', 'x5t#S256': expected });
    expect(body.get('client_secret')).toBeNull();
  });

  it('authenticates with its certificate over mutual TLS (tls_client_auth), naming itself in the body', async () => {
    const transport = mutualTlsTransport({ certificateFile: file('client.pem'), keyFile: file('client.key'), caFile: file('ca.pem') });
    const client: ExchangeClient = { tokenEndpoint: mutualUrl, authenticate: tlsClientAuth('deputy-router'), timeoutMs: 5000, transport };
    expect((await exchangeToken(client, request)).token).toBe('issued.token.value');
    const seen = seenByMutual.at(-1)!;
    expect(seen).toMatchObject({ authorized: true, subject: 'deputy-router' });
    expect(new URLSearchParams(seen.body).get('client_id')).toBe('deputy-router');
  });

  it('is refused by a mutual-TLS endpoint when its certificate is not one the server trusts: unavailable (unreachable)', async () => {
    const stranger = mutualTlsTransport({ certificateFile: file('stranger.pem'), keyFile: file('stranger.key'), caFile: file('ca.pem') });
    const count = seenByMutual.length;
    const error = await exchangeToken({ tokenEndpoint: mutualUrl, authenticate: tlsClientAuth('deputy-router'), timeoutMs: 5000, transport: stranger }, request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefusalError);
    expect(error).toMatchObject({ code: 'DELEGATION_UNAVAILABLE', reason: 'unreachable' });
    expect(seenByMutual.length).toBe(count);
  });
});
