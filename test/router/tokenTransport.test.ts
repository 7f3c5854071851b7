import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { httpTransport } from '../../router/delegation/tokenTransport.js';
import { exchangeToken } from '../../router/delegation/exchangeToken.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

// The token requests' HTTP client on loopback: what it sends, connection reuse, and the answers
// it refuses to act on (a redirect, no answer in time).

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handler: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => handler(request, body, response));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/token`, connections: () => connections };
}

const form = () => new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', audience: 'reviews' });

describe('the token transport', () => {
  it('posts the form with its headers and reuses one kept-alive connection', async () => {
    const seen: { method?: string; type?: string; auth?: string; length?: string; body: string }[] = [];
    const endpoint = await serve((request, body, response) => {
      seen.push({ method: request.method, type: request.headers['content-type'], auth: request.headers.authorization, length: request.headers['content-length'], body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const transport = httpTransport();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic cm91dGVyOng=' };
    for (let i = 0; i < 3; i++) expect(await transport(endpoint.url, headers, form(), 5_000)).toEqual({ status: 200, text: '{"ok":true}' });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual({ method: 'POST', type: headers['content-type'], auth: headers.authorization, length: String(form().toString().length), body: form().toString() });
    expect(endpoint.connections()).toBe(1);
  });

  it('hands back an error status and its body as they are (exchangeToken reads them)', async () => {
    const endpoint = await serve((_request, _body, response) => response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}'));
    expect(await httpTransport()(endpoint.url, {}, form(), 5_000)).toEqual({ status: 400, text: '{"error":"invalid_grant"}' });
  });

  it('never follows a redirect: the request fails and the target is never called', async () => {
    let targetCalls = 0;
    const target = createServer((_request, response) => {
      targetCalls++;
      response.end('{}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = await serve((_request, _body, response) => response.writeHead(307, { location: `http://127.0.0.1:${(target.address() as { port: number }).port}/token` }).end());
      await expect(httpTransport()(endpoint.url, {}, form(), 5_000)).rejects.toThrow(/redirect/);
      const client = { tokenEndpoint: endpoint.url, authenticate: async () => undefined, timeoutMs: 5_000 };
      await expect(exchangeToken(client, { subgraph: 'reviews', subjectToken: 'subject', audience: 'reviews', scopes: [] })).rejects.toMatchObject({
        extensions: { code: ErrorCode.DELEGATION_UNAVAILABLE, reason: 'unreachable' },
      });
      expect(targetCalls).toBe(0);
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it('gives up when no answer comes within the timeout: a TimeoutError, which exchangeToken reports as timeout', async () => {
    const endpoint = await serve(() => undefined);
    await expect(httpTransport()(endpoint.url, {}, form(), 50)).rejects.toMatchObject({ name: 'TimeoutError' });
    const client = { tokenEndpoint: endpoint.url, authenticate: async () => undefined, timeoutMs: 50 };
    await expect(exchangeToken(client, { subgraph: 'reviews', subjectToken: 'subject', audience: 'reviews', scopes: [] })).rejects.toMatchObject({
      extensions: { code: ErrorCode.DELEGATION_UNAVAILABLE, reason: 'timeout' },
    });
  });

  it('refuses a URL that is neither http nor https', async () => {
    await expect(httpTransport()('ftp://127.0.0.1/token', {}, form(), 1_000)).rejects.toThrow(/unsupported protocol/);
  });
});
