import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpPost, keepAliveAgents, ResponseTooLargeError } from '../../lib/http/httpPost.js';

// The router's POST client on loopback: a kept-alive connection the server closed while idle
// (here: reset on arrival of the next request, which is what the race looks like to the client)
// is sent again; a reset on a new connection, and every other failure, is final.

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that answers `{"n":<request number on its connection>}`, or resets the connection for the requests `reset` picks. */
async function serve(reset: (requestOnConnection: number, connection: number) => boolean) {
  const seen: { connection: number; request: number }[] = [];
  let connections = 0;
  const counts = new Map<Socket, { id: number; requests: number }>();
  server = createServer((req, res) => {
    let entry = counts.get(req.socket);
    if (!entry) counts.set(req.socket, (entry = { id: ++connections, requests: 0 }));
    entry.requests += 1;
    seen.push({ connection: entry.id, request: entry.requests });
    req.resume();
    req.on('end', () => {
      if (reset(entry.requests, entry.id)) req.socket.destroy();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: entry.requests }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, seen };
}

const post = { headers: { 'content-type': 'application/json' }, body: '{"query":"{ a }"}', timeoutMs: 10_000, maxBytes: 1024 };

describe('httpPost', () => {
  it('sends a request again on a new connection when its kept-alive one turns out closed', async () => {
    const { url, seen } = await serve((request) => request === 2);
    const agents = keepAliveAgents();
    expect(JSON.parse((await httpPost(url, post, agents)).body)).toEqual({ n: 1 });
    const second = await httpPost(url, post, agents);
    expect(second.status).toBe(200);
    // The reused connection was reset at its second request; the request went out again on a new one.
    expect(seen).toEqual([
      { connection: 1, request: 1 },
      { connection: 1, request: 2 },
      { connection: 2, request: 1 },
    ]);
  });

  it('does not send again when a new connection is reset: the failure is the answer', async () => {
    const { url, seen } = await serve(() => true);
    await expect(httpPost(url, post, keepAliveAgents())).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(seen).toHaveLength(1);
  });

  it('reads the answer to its end, and refuses one over the size limit', async () => {
    const { url } = await serve(() => false);
    const answer = await httpPost(url, post, keepAliveAgents());
    expect(answer).toMatchObject({ status: 200, statusText: 'OK', body: '{"n":1}' });
    expect(answer.rawHeaders).toContain('application/json');
    await expect(httpPost(url, { ...post, maxBytes: 3 }, keepAliveAgents())).rejects.toBeInstanceOf(ResponseTooLargeError);
  });
});
