// `npm run token -- <user> [--scope "..."]`: prints an access token for the router, obtained
// from the authorization server through the authorization code + PKCE flow (as web-app).
import { parseArgs } from 'node:util';
import { DEFAULT_HOST, portFor } from '../lib/defaults.js';
import { obtainUserToken } from './token/obtainUserToken.js';
import { explainFailure } from '../lib/http/explainFailure.js';

const DEFAULT_SCOPE =
  'openid accounts:read products:read inventory:read reviews:read reviews:write trace:read';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scope: { type: 'string', default: DEFAULT_SCOPE },
    password: { type: 'string' },
    issuer: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const user = positionals[0];
if (values.help || !user) {
  console.log(`Usage: npm run token -- <user> [--scope "${DEFAULT_SCOPE}"] [--password <password>] [--issuer <url>]
Prints an access token (audience: the router) for a demo user. The demo password is the user name.`);
  process.exit(values.help ? 0 : 2);
}

const host = process.env.DEPUTY_HOST ?? DEFAULT_HOST;
const issuer = values.issuer ?? process.env.DEPUTY_ISSUER ?? `http://${host}:${portFor('auth')}`;
try {
  const token = await obtainUserToken({
    issuer,
    username: user,
    password: values.password ?? user,
    scope: values.scope,
    redirectUri: `http://${host}:${portFor('router')}/callback`,
  });
  process.stdout.write(`${token.accessToken}\n`);
} catch (error) {
  console.error(`token: ${explainFailure(error, 'the authorization server', issuer)}`);
  process.exit(1);
}
