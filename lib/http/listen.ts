import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Thrown when a port is taken; the message names the port and the variable that moves it. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(host: string, port: number, hint: string) {
    super(`Port ${port} on ${host} is already in use. ${hint}`);
  }
}

/** Starts listening and resolves with the bound port (useful with port 0). */
export function listen(server: Server, host: string, port: number, hint = ''): Promise<number> {
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

/**
 * Closes a server gracefully: no new connections; requests in flight finish; keep-alive
 * connections are closed as soon as they fall idle, so close does not wait for clients.
 */
export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close((error) => {
      clearInterval(sweep);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
