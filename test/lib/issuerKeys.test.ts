import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { remoteKeys } from '../../lib/issuerKeys.js';

// lib/issuerKeys.ts against a real JWKS server on loopback whose keys the test changes.

describe('remoteKeys', () => {
  let server: Server;
  let uri = '';
  let fetches = 0;
  const published: object[] = [];
  const newKey = async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = randomUUID();
    published.push({ ...(await exportJWK(publicKey)), kid, alg: 'ES256' });
    return (id = kid) => new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: id }).sign(privateKey);
  };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('fetches once for many verifications, refetches at once for a new kid, then shares one fetch among concurrent unknown kids', async () => {
    fetches = 0;
    const keys = remoteKeys(uri, { unknownKidIntervalMs: 60_000 });
    const first = await newKey();
    for (let i = 0; i < 5; i += 1) await jwtVerify(await first(), keys);
    expect(fetches).toBe(1);

    const rotated = await newKey();
    await jwtVerify(await rotated(), keys);
    expect(fetches).toBe(2);

    const made = await Promise.allSettled(Array.from({ length: 30 }, async () => jwtVerify(await first(randomUUID()), keys)));
    expect(made.every((result) => result.status === 'rejected' && (result.reason as Error).name === 'JWKSNoMatchingKey')).toBe(true);
    expect(fetches).toBe(2);
  });

  it('lets concurrent unknown kids share one refetch once the interval has passed', async () => {
    fetches = 0;
    const keys = remoteKeys(uri, { unknownKidIntervalMs: 0 });
    const sign = await newKey();
    await jwtVerify(await sign(), keys);
    // Every token is signed before any verification starts: the 30 verifications are truly concurrent, whatever the load.
    const tokens = await Promise.all(Array.from({ length: 30 }, () => sign(randomUUID())));
    const made = await Promise.allSettled(tokens.map((token) => jwtVerify(token, keys)));
    expect(made.every((result) => result.status === 'rejected')).toBe(true);
    expect(fetches).toBe(2);
  });

  it('after a failed fetch, fails at once for a while instead of fetching on every verification', async () => {
    let failing = 0;
    const broken = createServer((_req, res) => {
      failing += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const keys = remoteKeys(`http://127.0.0.1:${(broken.address() as { port: number }).port}/jwks`, { retryAfterFailureMs: 60_000 });
      const sign = await newKey();
      for (let i = 0; i < 10; i += 1) await expect(jwtVerify(await sign(), keys)).rejects.toMatchObject({ code: 'ERR_JWKS_INVALID' });
      expect(failing).toBe(1);
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it('reports an unreachable JWKS as JWKSInvalid (the verifier maps it to keys_unavailable)', async () => {
    const keys = remoteKeys('http://127.0.0.1:9/jwks', { timeoutMs: 500 });
    const sign = await newKey();
    await expect(jwtVerify(await sign(), keys)).rejects.toMatchObject({ code: 'ERR_JWKS_INVALID' });
  });
});
