import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the proxy does to a request: forward it, or one of the injected faults. */
export type Fault =
  | { kind: 'pass' }
  /** Drops the connection without an answer. */
  | { kind: 'drop' }
  /** Waits, then forwards. */
  | { kind: 'delay'; ms: number }
  /** Holds the request until `until` settles, then forwards (no timing involved). */
  | { kind: 'hold'; until: Promise<unknown> }
  /** Answers with this status and body instead of forwarding. */
  | { kind: 'answer'; status: number; body: string | Buffer; contentType?: string; chunked?: boolean };

/**
 * One request the proxy saw, timed on the host's clock as epoch ms with fractions
 * (performance.timeOrigin + performance.now(): comparable with a trace's `startedAt` when the
 * router runs in this process).
 */
export interface ProxiedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** When its headers arrived. */
  arrivedAt: number;
  /** When its answer had been handed to the connection; absent when none was sent. */
  answeredAt?: number;
}

/** A loopback HTTP proxy in front of a real server that injects faults on demand. */
export interface FaultProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:1234. */
  origin: string;
  /** Requests seen per path. */
  hits(path?: string): number;
  /** Every request seen, in arrival order, with when it arrived and was answered. */
  requests: ProxiedRequest[];
  /** Sets the fault; `applies` limits it to requests whose body matches. */
  set(fault: Fault, applies?: (body: string) => boolean): void;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Forwards the request to `target` and its answer back; `answering` is called just before the answer is written. */
async function forward(target: string, req: IncomingMessage, body: Buffer, res: ServerResponse, answering: () => void) {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string' && key !== 'host' && key !== 'connection') headers[key] = value;
  const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
  const payload = Buffer.from(await upstream.arrayBuffer());
  res.statusCode = upstream.status;
  for (const name of ['content-type', 'www-authenticate', 'retry-after', 'cache-control']) {
    const value = upstream.headers.get(name);
    if (value) res.setHeader(name, value);
  }
  answering();
  res.end(payload);
}

/** Now on the host's clock, epoch ms with fractions. */
const epochNow = () => performance.timeOrigin + performance.now();

/** A startStack `routeSubgraph` putting a fault proxy in front of one subgraph; `started` receives the proxy. */
export function proxySubgraph(name: string, started: (proxy: FaultProxy) => void) {
  return async (subgraph: string, url: string): Promise<string> => {
    if (subgraph !== name) return url;
    const proxy = await startFaultProxy(new URL(url).origin);
    started(proxy);
    return `${proxy.origin}/graphql`;
  };
}

/** Starts a proxy forwarding to `target` (an origin) on an ephemeral loopback port. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let fault: Fault = { kind: 'pass' };
  let applies: (body: string) => boolean = () => true;
  const hits = new Map<string, number>();
  const requests: ProxiedRequest[] = [];
  const server = createServer(async (req, res) => {
    const arrivedAt = epochNow();
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const seen: ProxiedRequest = { path, headers: req.headers, body: '', arrivedAt };
    requests.push(seen);
    // Taken just before the answer is written: nothing downstream can have read it earlier.
    const answering = () => (seen.answeredAt = epochNow());
    const body = await readBody(req);
    seen.body = body.toString('utf8');
    const current = applies(seen.body) ? fault : ({ kind: 'pass' } as Fault);
    try {
      if (current.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (current.kind === 'answer') {
        res.statusCode = current.status;
        res.setHeader('content-type', current.contentType ?? 'application/json');
        if (!current.chunked) res.setHeader('content-length', Buffer.byteLength(current.body));
        answering();
        res.end(current.body);
        return;
      }
      if (current.kind === 'delay') await sleep(current.ms);
      if (current.kind === 'hold') await current.until;
      if (!res.destroyed) await forward(target, req, body, res, answering);
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    hits: (path) => (path ? (hits.get(path) ?? 0) : [...hits.values()].reduce((a, b) => a + b, 0)),
    requests,
    set(next, filter = () => true) {
      fault = next;
      applies = filter;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
