// `npm run schema:publish -- <subgraph> <file> [--allow-breaking]`: the same checks as
// schema:check, then publishes to the running router's admin endpoint as the subgraph's team.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { DEFAULT_HOST, portFor } from '../lib/defaults.js';
import { formatCheck, proposeChange } from './schema/proposeChange.js';
import { teamSecret } from './schema/teamSecret.js';
import { explainFailure } from './unreachable.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'allow-breaking': { type: 'boolean', default: false },
    config: { type: 'string', default: 'rover.yaml' },
    against: { type: 'string', default: 'schema/supergraph.graphql' },
    router: { type: 'string' },
    issuer: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const [subgraph, file] = positionals;
if (values.help || !subgraph || !file) {
  console.log(`Usage: npm run schema:publish -- <subgraph> <file.graphql> [--allow-breaking] [--router http://127.0.0.1:4000] [--issuer http://127.0.0.1:4010]
Publishes as the client <subgraph>-team; its secret comes from DEPUTY_CLIENT_SECRET_<SUBGRAPH>_TEAM or .deputy/local-secrets.json (written by npm start).`);
  process.exit(values.help ? 0 : 2);
}

const host = process.env.DEPUTY_HOST ?? DEFAULT_HOST;
const router = values.router ?? `http://${host}:${portFor('router')}`;
const issuer = values.issuer ?? process.env.DEPUTY_ISSUER ?? `http://${host}:${portFor('auth')}`;

try {
  const check = await proposeChange({ subgraph, file, config: values.config, against: values.against });
  console.log(formatCheck(subgraph, check));
  if (!check.composes) process.exit(1);
  if (check.breaking.length > 0 && !values['allow-breaking']) {
    console.error('Refusing to publish breaking changes; pass --allow-breaking to accept them.');
    process.exit(1);
  }
  const team = `${subgraph}-team`;
  const tokenResponse = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${team}:${encodeURIComponent(teamSecret(team))}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope: 'schema:publish' }),
  }).catch((error: unknown) => {
    throw new Error(explainFailure(error, 'the authorization server', issuer));
  });
  const token = (await tokenResponse.json()) as { access_token?: string; error?: string };
  if (!token.access_token) throw new Error(`the authorization server refused ${team}: ${token.error ?? tokenResponse.status}`);
  const response = await fetch(`${router}/admin/schema`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
    body: JSON.stringify({ subgraph, sdl: readFileSync(file, 'utf8'), allowBreaking: values['allow-breaking'] }),
  }).catch((error: unknown) => {
    throw new Error(explainFailure(error, 'the router', router));
  });
  const body = (await response.json()) as { hashBefore?: string; hashAfter?: string; errors?: { message: string; extensions: { code: string } }[] };
  if (!response.ok) {
    const error = body.errors?.[0];
    console.error(`✗ the router refused the publish: ${error?.extensions.code} ${error?.message}`);
    process.exit(1);
  }
  console.log(`✓ published ${subgraph} to ${router}: supergraph ${body.hashBefore} -> ${body.hashAfter}`);
} catch (error) {
  console.error(`schema:publish: ${(error as Error).message}`);
  process.exit(2);
}
