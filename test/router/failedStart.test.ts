import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../router/startRouter.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';
import { memoryAuditLog } from '../../router/audit/auditLog.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { freePort } from '../helpers/freePort.js';
import { captureLogger } from '../helpers/captureLogger.js';

// A failed start must leave nothing open: no listening socket, no Apollo, timers or audit sink. Observed from outside: the process's active handles
// (sockets, servers, timers) are back to what they were, and the ports are free again.

/** How many active handles of one kind keep the process alive (servers, sockets, timers). */
function openHandles(kind: 'TCPServerWrap' | 'Timeout'): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function canListenOn(port: number): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)));
  if (ok) await new Promise((resolve) => server.close(resolve));
  return ok;
}

describe('a start that fails closes everything it opened', () => {
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(() => auth?.stop());

  const configWith = (changes: Record<string, unknown>) =>
    parseRouterConfig(
      { listen: { host: '127.0.0.1', port: 0 }, supergraph: { sources: 'rover.yaml' }, auth: { issuer: auth.issuer }, exchange: { clientSecret: auth.secret('deputy-router') }, ...changes },
      'failed start test',
    );

  it('closes the listener, Apollo and the rest when a later step fails (the metrics port is in use)', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const blocker = await occupy(metricsPort);
    const before = { servers: openHandles('TCPServerWrap'), timers: openHandles('Timeout') };
    const start = startRouter(configWith({ listen: { host: '127.0.0.1', port }, metrics: { listen: { host: '127.0.0.1', port: metricsPort } } }), { audit: memoryAuditLog(), logger: captureLogger().logger });
    await expect(start).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    expect(await canListenOn(port)).toBe(true);
    await sleep(300);
    // (Idle keep-alive sockets of the issuer's discovery are fetch's global pool, not the router's.)
    expect(openHandles('TCPServerWrap')).toBeLessThanOrEqual(before.servers);
    expect(openHandles('Timeout')).toBeLessThanOrEqual(before.timers);
    await new Promise((resolve) => blocker.close(resolve));
  });
});
