import { discoverIssuer } from '../../lib/discoverIssuer.js';
import { DEFAULT_HOST, portFor } from '../../lib/defaults.js';
import { DEFAULT_ALGORITHMS, remoteKeys } from '../../lib/verifyAccessToken.js';
import { brokerPolicyFile, readBrokerCallers } from '../../lib/brokerPolicy.js';
import { checkDelegation, delegationAcceptance, type DelegationAcceptance } from '../../lib/checkDelegation.js';
import { createRequestAuthenticator, type RequestAuthenticator } from './authenticateRequest.js';
import { PROFILE_NAMES, tokenProfile, type ProfileName, type TokenProfile } from '../../lib/tokenProfile.js';
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
function profileFromEnv(env: NodeJS.ProcessEnv): TokenProfile {
  const name = env.DEPUTY_AUTH_PROFILE ?? 'rfc9068';
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) throw new Error(`DEPUTY_AUTH_PROFILE is ${name}; expected one of ${PROFILE_NAMES.join(', ')}`);
  return tokenProfile(name as ProfileName);
}

/**
 * A subgraph process's security from its environment:
 * - DEPUTY_ISSUER (default http://127.0.0.1:4010), DEPUTY_AUTH_PROFILE (default rfc9068) and
 *   DEPUTY_<NAME>_AUDIENCE (default the subgraph's name) for verifying the tokens it receives, and acceptanceFromEnv for who may
 *   have delegated them; DEPUTY_SUBGRAPH_AUTH=off turns verification off (the benchmark's floor only);
 * - DEPUTY_CLIENT_SECRET_<NAME>_SERVICE and DEPUTY_BROKER_URL (default the router's /delegate)
 *   for calls to other services through the router's broker; without a secret, no broker.
 */
export async function securityFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): Promise<{ authenticate?: RequestAuthenticator; broker?: BrokerClient }> {
  if (env.DEPUTY_SUBGRAPH_AUTH === 'off') return {};
  const issuer = env.DEPUTY_ISSUER ?? 'http://127.0.0.1:4010';
  const profile = profileFromEnv(env);
  // Another provider's exchanged tokens carry no act: the client they were issued to (the router) is the actor.
  const acceptance = { ...acceptanceFromEnv(name, env), clientIsActor: profile.name !== 'rfc9068' };
  const metadata = await discoverIssuer(issuer, 30_000);
  const authenticate = createRequestAuthenticator(
    {
      issuer,
      audience: env[`DEPUTY_${name.toUpperCase()}_AUDIENCE`] ?? name,
      algorithms: DEFAULT_ALGORITHMS,
      clockToleranceSeconds: 5,
      keys: remoteKeys(metadata.jwks_uri),
      profile,
    },
    (token) => checkDelegation(token, acceptance),
  );
  const secret = env[`DEPUTY_CLIENT_SECRET_${name.toUpperCase()}_SERVICE`];
  const brokerUrl = env.DEPUTY_BROKER_URL ?? `http://${env.DEPUTY_HOST ?? DEFAULT_HOST}:${portFor('router', env)}/delegate`;
  const broker = secret
    ? createBrokerClient({ clientId: `${name}-service`, clientSecret: secret, tokenEndpoint: metadata.token_endpoint, routerResource: 'urn:deputy:router', brokerUrl: () => brokerUrl })
    : undefined;
  return { authenticate, broker };
}
