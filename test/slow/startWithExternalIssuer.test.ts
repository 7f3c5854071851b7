// `npm start` with DEPUTY_ISSUER naming the user's own identity provider (an Okta-shaped fake
// here): no embedded authorization server, the subgraphs and the router verify and exchange
// that provider's tokens.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/freePort.js';
import { postGraphQL } from '../helpers/graphql.js';
import { childExit } from '../helpers/childExit.js';
import { okta } from '../helpers/identityProviders/okta.js';
import { startFakeIdentityProvider, type FakeIdentityProvider } from '../helpers/identityProviders/fakeIdentityProvider.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/subgraphNames.js';
import { loadRouterConfig } from '../../router/config/loadRouterConfig.js';

/** Five processes loading on a busy machine: a minute or more. */
const READY_MS = 120_000;
const STOP_MS = 30_000;
const ROUTER_CLIENT = '0oa-deputy-router';
const SECRET = 'okta-router-secret-of-this-run';

describe('npm start against an identity provider of your own (DEPUTY_ISSUER)', () => {
  let idp: FakeIdentityProvider;
  beforeAll(async () => {
    // The okta policy lets the router ask for each subgraph's scopes as router/router.yaml lists them.
    const shipped = loadRouterConfig('router/router.yaml', { DEPUTY_CLIENT_SECRET_DEPUTY_ROUTER: 'x' });
    idp = await startFakeIdentityProvider(okta(Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`api://${name}`, shipped.subgraphs[name].scopes]))), { [ROUTER_CLIENT]: SECRET });
  });
  afterAll(() => idp?.stop());

  it('starts no authorization server and serves a query with the provider\'s user token', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DEPUTY_LOCAL_SECRETS: join(mkdtempSync(join(tmpdir(), 'deputy-start-')), 'secrets.json'),
      DEPUTY_ISSUER: idp.issuer,
      DEPUTY_AUTH_PROFILE: 'okta',
      DEPUTY_ROUTER_AUDIENCE: 'api://deputy-router',
      DEPUTY_ROUTER_CLIENT_ID: ROUTER_CLIENT,
      DEPUTY_CLIENT_SECRET_DEPUTY_ROUTER: SECRET,
    };
    for (const part of ['ROUTER', ...SUBGRAPH_NAMES.map((name) => name.toUpperCase())]) env[`DEPUTY_${part}_PORT`] = String(await freePort());
    for (const name of SUBGRAPH_NAMES) env[`DEPUTY_${name.toUpperCase()}_AUDIENCE`] = `api://${name}`;
    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env });
    let output = '';
    start.stdout.on('data', (chunk) => (output += chunk));
    start.stderr.on('data', (chunk) => (output += chunk));
    try {
      const deadline = Date.now() + READY_MS;
      while (!output.includes('Deputy is ready') && start.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(output, output).toContain('Deputy is ready');
      expect(output).not.toMatch(/^\[auth/m);
      expect(output).toContain(`from your identity provider, ${idp.issuer}`);
      const token = await idp.userToken('alice', '0oa-web-app', 'api://deputy-router', ['router:access']);
      const response = await postGraphQL(`http://127.0.0.1:${env.DEPUTY_ROUTER_PORT}/graphql`, { query: '{ users { name } topProducts { name inStock reviews { body } } }' }, { authorization: `Bearer ${token}` });
      const body = response.json() as { data?: { users: { name: string }[]; topProducts: { inStock: boolean }[] }; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data?.users[0].name).toEqual(expect.any(String));
      expect(body.data?.topProducts[0].inStock).toEqual(expect.any(Boolean));
      // Every exchange went to the provider, in its dialect, one per subgraph the query needed.
      expect(new Set(idp.received.map((exchange) => exchange.params.audience))).toEqual(new Set(['api://accounts', 'api://products', 'api://inventory', 'api://reviews']));
    } finally {
      start.kill('SIGTERM');
      expect(await childExit(start, STOP_MS)).toBe(0);
    }
  }, READY_MS + STOP_MS + 30_000);
});
