import { createServer } from 'node:net';
import { badPortError } from '../../lib/http/badPortError.js';

/** Resolves when host:port can be bound (and browsers could reach it), else rejects with a message naming the port and the fix. */
export function ensurePortFree(host: string, port: number, label: string, hint: string): Promise<void> {
  const bad = badPortError(port, label, hint);
  if (bad) return Promise.reject(bad);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code})`;
      reject(new Error(`Port ${port} on ${host} (${label}) ${reason}. ${hint}`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
