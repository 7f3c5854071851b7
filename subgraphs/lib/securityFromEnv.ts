import { discoverIssuer } from '../../lib/discoverIssuer.js';
import { DEFAULT_HOST, portFor } from '../../lib/defaults.js';
import { brokerPolicyFile, readBrokerCallers } from '../../lib/brokerPolicy.js';
import { delegationAcceptance, type DelegationAcceptance } from '../../lib/checkDelegation.js';
import { createTokenVerifier, PROFILE_NAMES, type ProfileName, type SubgraphTokenVerifier } from '../../subgraph-kit/index.js';
import { createBrokerClient, type BrokerClient } from '../../broker-client/index.js';

/** A comma-separated list variable. */
const list = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);

/**
 * Who a subgraph accepts as the most recent actor: the router's client (DEPUTY_ROUTER_CLIENT_ID,
 * default deputy-router) and the broker callers the broker policy lets call it; and the services
 * DEPUTY_<NAME>_SERVICES_AS_THEMSELVES names (none by default).
 */
export function acceptanceFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): DelegationAcceptance {
  return delegationAcceptance(name, readBrokerCallers(brokerPolicyFile(env), env), env.DEPUTY_ROUTER_CLIENT_ID, list(env[`DEPUTY_${name.toUpperCase()}_SERVICES_AS_THEMSELVES`]));
}

/** The issuer's token profile, DEPUTY_AUTH_PROFILE (default rfc9068, the embedded server's). */
function profileFromEnv(env: NodeJS.ProcessEnv): ProfileName {
  const name = env.DEPUTY_AUTH_PROFILE ?? 'rfc9068';
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) throw new Error(`DEPUTY_AUTH_PROFILE is ${name}; expected one of ${PROFILE_NAMES.join(', ')}`);
  return name as ProfileName;
}

/**
 * A subgraph process's security from its environment:
 * - DEPUTY_ISSUER (default http://127.0.0.1:4010), DEPUTY_AUTH_PROFILE (default rfc9068) and
 *   DEPUTY_<NAME>_AUDIENCE (default the subgraph's name) for verifying the tokens it receives, and acceptanceFromEnv for who may
 *   have delegated them; the router's own token (DEPUTY_ROUTER_CLIENT_ID) may read `_service { sdl }` only;
 *   DEPUTY_SUBGRAPH_AUTH=off turns verification off (the benchmark's floor only);
 * - DEPUTY_CLIENT_SECRET_<NAME>_SERVICE and DEPUTY_BROKER_URL (default the router's /delegate)
 *   for calls to other services through the router's broker; without a secret, no broker.
 */
export async function securityFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): Promise<{ verifier?: SubgraphTokenVerifier; broker?: BrokerClient }> {
  if (env.DEPUTY_SUBGRAPH_AUTH === 'off') return {};
  const issuer = env.DEPUTY_ISSUER ?? 'http://127.0.0.1:4010';
  // Discovered at start-up (not on first use, as the kit would): the broker needs the token endpoint too.
  const metadata = await discoverIssuer(issuer, 30_000);
  const verifier = createTokenVerifier({
    issuer,
    audience: env[`DEPUTY_${name.toUpperCase()}_AUDIENCE`] ?? name,
    profile: profileFromEnv(env),
    jwksUri: metadata.jwks_uri,
    acceptance: acceptanceFromEnv(name, env),
    // The router reads `_service { sdl }` with its own token before a publish becomes current.
    sdlReaders: [env.DEPUTY_ROUTER_CLIENT_ID ?? 'deputy-router'],
  });
  const secret = env[`DEPUTY_CLIENT_SECRET_${name.toUpperCase()}_SERVICE`];
  const brokerUrl = env.DEPUTY_BROKER_URL ?? `http://${env.DEPUTY_HOST ?? DEFAULT_HOST}:${portFor('router', env)}/delegate`;
  const broker = secret
    ? createBrokerClient({ clientId: `${name}-service`, clientSecret: secret, tokenEndpoint: metadata.token_endpoint, routerResource: 'urn:deputy:router', brokerUrl: () => brokerUrl })
    : undefined;
  return { verifier, broker };
}
