import { randomUUID } from 'node:crypto';
import { DEFAULT_HOST, portFor } from '../lib/defaults.js';
import { clientSecretVariable, type AuthServerConfig } from './config.js';
import { brokerPolicyFile, readBrokerCallers } from '../lib/brokerPolicy.js';
import { DEMO_ENTITLEMENTS, DEMO_USERS, registryAdminClient, routerClient, serviceClients, teamClients, webAppClient, type ClientDefinition } from './demoIdentities.js';
import { loadSigningJwks } from './signingKeys.js';
import { parseExtraAudiences, withAudiences } from './withAudiences.js';
import { SUBGRAPH_AUDIENCES } from './audiences.js';
import { parseReceivers } from './securityEvents/receivers.js';

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The redirect URIs of the web-app client: the router's console on its host and port. */
function webAppRedirects(env: NodeJS.ProcessEnv): string[] {
  const router = `http://${env.DEPUTY_HOST ?? DEFAULT_HOST}:${portFor('router', env)}`;
  return [`${router}/`, `${router}/callback`];
}

/**
 * Reads the authorization server's configuration from the environment (documented in
 * README.md). Client secrets come only from DEPUTY_CLIENT_SECRET_<CLIENT>; a missing one
 * fails start-up naming the variable.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthServerConfig {
  const host = env.DEPUTY_HOST ?? DEFAULT_HOST;
  const port = portFor('auth', env);
  const routerAuth = (env.DEPUTY_ROUTER_AUTH_METHOD ?? 'client_secret_basic') as ClientDefinition['authMethod'];
  if (routerAuth !== 'client_secret_basic' && routerAuth !== 'private_key_jwt') {
    throw new Error(`DEPUTY_ROUTER_AUTH_METHOD must be client_secret_basic or private_key_jwt, got "${routerAuth}"`);
  }
  const routerJwks = routerAuth === 'private_key_jwt' ? loadSigningJwks(requireVar(env, 'DEPUTY_ROUTER_CLIENT_JWKS_FILE')) : undefined;
  const brokerCallers = readBrokerCallers(brokerPolicyFile(env), env);
  // A team's own subgraphs (README.md "For subgraph teams"), each with a service client of its own.
  const extra = parseExtraAudiences(env.DEPUTY_EXTRA_AUDIENCES);
  const clients = [webAppClient(webAppRedirects(env)), routerClient(routerAuth, routerJwks), ...serviceClients(brokerCallers, [...SUBGRAPH_AUDIENCES, ...extra]), ...teamClients(), registryAdminClient()];
  const clientSecrets: Record<string, string> = {};
  for (const client of clients) {
    if (client.authMethod.startsWith('client_secret')) clientSecrets[client.clientId] = requireVar(env, clientSecretVariable(client.clientId));
  }
  const config: AuthServerConfig = {
    issuer: env.DEPUTY_ISSUER,
    host,
    port,
    clients,
    clientSecrets,
    signingJwks: env.DEPUTY_AUTH_JWKS_FILE ? loadSigningJwks(env.DEPUTY_AUTH_JWKS_FILE) : undefined,
    users: DEMO_USERS,
    entitlements: DEMO_ENTITLEMENTS,
    brokerCallers,
    userTokenTtlSeconds: positiveInt(env, 'DEPUTY_USER_TOKEN_TTL', 3600),
    exchangedTokenTtlSeconds: positiveInt(env, 'DEPUTY_EXCHANGED_TOKEN_TTL', 300),
    maxActDepth: positiveInt(env, 'DEPUTY_MAX_ACT_DEPTH', 4),
    rateLimit: {
      perSecond: positiveInt(env, 'DEPUTY_TOKEN_RATE_PER_SECOND', 1000),
      burst: positiveInt(env, 'DEPUTY_TOKEN_RATE_BURST', 2000),
    },
    failureRateLimit: {
      perSecond: positiveInt(env, 'DEPUTY_TOKEN_FAILURE_RATE_PER_SECOND', 1),
      burst: positiveInt(env, 'DEPUTY_TOKEN_FAILURE_BURST', 20),
    },
    ssfReceivers: parseReceivers(env.DEPUTY_SSF_RECEIVERS),
  };
  // Every demo user may delegate the extra subgraphs' read scopes.
  if (extra.length === 0) return config;
  const reads = extra.flatMap((definition) => definition.scopes).filter((scope) => scope.endsWith(':read'));
  return withAudiences(config, extra, Object.fromEntries(DEMO_USERS.map((user) => [user, reads])));
}

function requireVar(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (npm start generates it; see README.md)`);
  return value;
}

/** A fresh random secret per client, as `npm start` passes them to the auth server and router. */
export function generateClientSecrets(clientIds: string[]): Record<string, string> {
  return Object.fromEntries(clientIds.map((id) => [clientSecretVariable(id), randomUUID() + randomUUID()]));
}
