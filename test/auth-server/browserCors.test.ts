import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { webAppClient } from '../../auth-server/demoIdentities.js';

// The web console redeems its code at the token endpoint from the router's origin: CORS is
// allowed for the web-app client from its registered redirect origins, and nowhere else.

const CONSOLE = 'http://127.0.0.1:4999';

describe('cross-origin calls to the token endpoint', () => {
  let auth: TestAuth;
  const redeem = (origin: string, clientId = 'web-app') =>
    fetch(`${auth.issuer}/token`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code: 'not-a-code', redirect_uri: `${CONSOLE}/`, code_verifier: 'v'.repeat(43) }),
    });

  beforeAll(async () => {
    auth = await startAuth((defaults) => ({ clients: defaults.clients.map((client) => (client.clientId === 'web-app' ? webAppClient([`${CONSOLE}/`]) : client)) }));
  });
  afterAll(() => auth?.stop());

  it("are allowed for the web-app client from its redirect URI's origin", async () => {
    const response = await redeem(CONSOLE);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect((await response.json()).error).toBe('invalid_grant');
  });

  it('are refused from any other origin, and for a client without that redirect origin', async () => {
    for (const [origin, clientId] of [['http://evil.example', 'web-app'], [CONSOLE, 'deputy-router']]) {
      const response = await redeem(origin, clientId);
      expect(response.status).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: `origin ${origin} not allowed for client: ${clientId}` });
    }
  });
});
