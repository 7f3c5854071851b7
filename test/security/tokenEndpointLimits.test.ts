import { afterEach, describe, expect, it } from 'vitest';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { exchange } from '../helpers/delegatedTokens.js';
import { revoke } from '../helpers/revocationClient.js';

// The token endpoint's limits cannot be spent by an attacker for a real client, and a
// malformed client-authentication header is a 4xx, never the end of the process.

describe('token endpoint limits and malformed client authentication', () => {
  let auth: TestAuth | undefined;
  afterEach(async () => {
    await auth?.stop();
    auth = undefined;
  });

  const post = (server: TestAuth, authorization: string) =>
    fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });

  it('answers malformed Basic credentials with 4xx and keeps serving', async () => {
    auth = await startAuth();
    const headers = ['Basic %%%', 'Basic ' + Buffer.from('%E0%A4%A:secret').toString('base64'), 'Basic ' + Buffer.from('a%:b').toString('base64'), 'Basic', 'Basic =====', 'basic ' + Buffer.from('\u0000:\u0000').toString('base64')];
    for (const header of headers) {
      const response = await post(auth, header);
      expect([header, response.status >= 400 && response.status < 500]).toEqual([header, true]);
    }
    expect((await fetch(`${auth.issuer}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it("charges failed attempts in a client's name to the attacker's address, never to the client", async () => {
    auth = await startAuth({ rateLimit: { perSecond: 0.001, burst: 3 }, failureRateLimit: { perSecond: 0.001, burst: 50 } });
    const user = await auth.userToken('alice');
    for (let i = 0; i < 10; i++) {
      const forged = await exchange(auth, { subject_token: user, audience: 'accounts' }, { id: 'deputy-router', secret: 'a guess' });
      expect(forged.status).toBe(401);
    }
    // The router's own budget (3) is intact: the ten failures in its name cost it nothing.
    for (let i = 0; i < 3; i++) expect((await exchange(auth, { subject_token: user, audience: 'accounts' })).status).toBe(200);
    const over = await exchange(auth, { subject_token: user, audience: 'accounts' });
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('temporarily_unavailable');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('refuses an address with 429 once its failed authentications run out, but not a client that authenticated from it', async () => {
    auth = await startAuth({ failureRateLimit: { perSecond: 0.001, burst: 5 } });
    const user = await auth.userToken('alice');
    expect((await exchange(auth, { subject_token: user, audience: 'accounts' })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await exchange(auth, { subject_token: user, audience: 'accounts' }, { id: 'inventory-service', secret: 'a guess' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await exchange(auth, { subject_token: user, audience: 'accounts' })).status).toBe(200);
  });

  it('charges failed authentications at the revocation endpoint to the same bucket, so secrets cannot be guessed there instead', async () => {
    auth = await startAuth({ failureRateLimit: { perSecond: 0.001, burst: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await revoke(auth.issuer, { token: 'x' }, { id: 'inventory-service', secret: 'a guess' })).status);
    for (let i = 0; i < 3; i++) statuses.push((await exchange(auth, { subject_token: 'x', audience: 'accounts' }, { id: 'inventory-service', secret: 'a guess' })).status);
    statuses.push((await revoke(auth.issuer, { token: 'x' }, { id: 'inventory-service', secret: 'a guess' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });
});
