import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { badPortError } from './badPortError.js';

/** Thrown when a port is taken; the message names the port and the variable that moves it. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(host: string, port: number, hint: string) {
    super(`Port ${port} on ${host} is already in use. ${hint}`);
  }
}

/** Starts listening and resolves with the bound port (useful with port 0). */
export function listen(server: Server, host: string, port: number, hint = ''): Promise<number> {
  const bad = badPortError(port, host, hint);
  if (bad) return Promise.reject(bad);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port, hint) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Responses being written right now, per server: a draining server tells their clients to close. */
const active = new WeakMap<Server, Set<ServerResponse>>();
const draining = new WeakSet<Server>();

/** Tracks a response so that `close` can ask its client not to reuse the connection. */
export function trackResponse(server: Server, res: ServerResponse): void {
  if (draining.has(server)) res.setHeader('connection', 'close');
  let set = active.get(server);
  if (!set) active.set(server, (set = new Set()));
  set.add(res);
  res.once('close', () => set.delete(res));
}

/**
 * Closes a server gracefully: no new connections; every request in flight (or arriving on an
 * open connection meanwhile) is served with `Connection: close`, so clients stop reusing
 * the connection instead of racing its shutdown; connections still idle after `drainMs` close.
 */
export function close(server: Server, drainMs = 1000): Promise<void> {
  draining.add(server);
  for (const res of active.get(server) ?? []) if (!res.headersSent) res.setHeader('connection', 'close');
  return new Promise((resolve, reject) => {
    const sweep = setTimeout(() => server.closeAllConnections(), drainMs + 5000);
    const idle = setInterval(() => server.closeIdleConnections(), drainMs);
    // net.Server's close, not http.Server's: the latter also drops idle keep-alive connections
    // at once, racing clients that are just sending their next request on them.
    NetServer.prototype.close.call(server, (error?: Error) => {
      clearTimeout(sweep);
      clearInterval(idle);
      if (error) reject(error);
      else resolve();
    });
  });
}
