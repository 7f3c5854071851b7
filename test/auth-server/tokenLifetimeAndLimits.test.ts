import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, claimsOf, startAuth, type TestAuth } from '../helpers/startAuth.js';
import { routerClient } from '../../auth-server/demoIdentities.js';

describe('token lifetimes, chain depth, client kinds and rate limits', () => {
  let auth: TestAuth | undefined;
  afterEach(async () => {
    await auth?.stop();
    auth = undefined;
  });

  const exchangeAs = (a: TestAuth, subject: string, audience: string, client?: { id: string; secret: string }) =>
    a.token({ grant_type: TOKEN_EXCHANGE, subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE, audience }, client);

  it('caps the exchanged token exp at the subject token exp', async () => {
    auth = await startAuth({ userTokenTtlSeconds: 30, exchangedTokenTtlSeconds: 300 });
    const subject = await auth.userToken('alice');
    const response = await exchangeAs(auth, subject, 'accounts');
    expect(response.status).toBe(200);
    expect(claimsOf(String(response.body.access_token)).exp).toBe(claimsOf(subject).exp);
    expect(response.body.expires_in).toBeLessThanOrEqual(30);
  });

  it('refuses an expired subject token with invalid_request', async () => {
    auth = await startAuth({ userTokenTtlSeconds: 1 });
    const subject = await auth.userToken('alice');
    await sleep(2100);
    const response = await exchangeAs(auth, subject, 'accounts');
    expect(response.body).toMatchObject({ error: 'invalid_request', error_description: 'subject_token rejected: token expired' });
  });

  it('refuses a client with the grant but no exchange policy with unauthorized_client', async () => {
    const bare = { clientId: 'bare', authMethod: 'client_secret_basic' as const, grantTypes: [TOKEN_EXCHANGE], tokenAudiences: [] };
    auth = await startAuth((defaults) => ({
      clients: [...defaults.clients, bare],
      clientSecrets: { ...defaults.clientSecrets, bare: 'bare-secret' },
    }));
    const user = await auth.userToken('alice');
    const response = await exchangeAs(auth, user, 'accounts', { id: 'bare', secret: 'bare-secret' });
    expect(response.body).toMatchObject({ error: 'unauthorized_client', error_description: 'this client is not allowed the token-exchange grant' });
  });

  it('authenticates the router with private_key_jwt', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'router-key', alg: 'ES256', use: 'sig' };
    auth = await startAuth((defaults) => ({
      clients: defaults.clients.map((client) => (client.clientId === 'deputy-router' ? routerClient('private_key_jwt', { keys: [jwk] }) : client)),
    }));
    const user = await auth.userToken('alice');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'router-key' })
      .setIssuer('deputy-router')
      .setSubject('deputy-router')
      .setAudience(auth.issuer)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(privateKey);
    const response = await auth.token(
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: user,
        subject_token_type: ACCESS_TOKEN_TYPE,
        audience: 'products',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      },
      null,
    );
    expect(response.status).toBe(200);
    expect(claimsOf(String(response.body.access_token))).toMatchObject({ aud: 'products', client_id: 'deputy-router' });
  });

  it('answers 429 with Retry-After once a client exceeds its token rate', async () => {
    auth = await startAuth({ rateLimit: { perSecond: 1, burst: 2 } });
    const user = await auth.userToken('alice');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await exchangeAs(auth, user, 'accounts');
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get('retry-after');
        expect(response.body.error).toBe('temporarily_unavailable');
      }
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
