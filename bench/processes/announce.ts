import type { Server } from 'node:http';

/** Listens on a free loopback port and prints "ready <url>" for the benchmark to read. */
export async function listenAndAnnounce(server: Server, path = '/graphql'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${path}`;
  console.log(`ready ${url}`);
  return url;
}
