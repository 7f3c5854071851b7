import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to PostgreSQL that can be cut: every connection dropped and new ones refused. A
 * new relay on the same `port` brings PostgreSQL back at the same URL.
 */
export async function cuttablePostgres(port = 0): Promise<{ url: string; port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(5432, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const listening = (server.address() as { port: number }).port;
  return {
    url: `postgres://postgres@127.0.0.1:${listening}/test`,
    port: listening,
    cut: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
