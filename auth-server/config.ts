import type { ClientDefinition } from './demoIdentities.js';
import type { BrokerCallers } from '../lib/brokerPolicy.js';
import type { AudienceDefinition } from './audiences.js';
import type { SsfReceiver } from './securityEvents/receivers.js';

/** Everything the authorization server needs, parsed once at start-up. */
export interface AuthServerConfig {
  /** The exact `iss` of every token; defaults to http://<host>:<bound port>. */
  issuer?: string;
  host: string;
  port: number;
  clients: ClientDefinition[];
  /** clientId -> secret for client_secret_* clients; never logged. */
  clientSecrets: Record<string, string>;
  /** A private JWKS to sign with; generated at start when absent. */
  signingJwks?: { keys: object[] };
  users: string[];
  /** user -> the scopes a login may grant them at most (README.md, "Authorization model"). */
  entitlements: Record<string, string[]>;
  /**
   * Subgraph audiences besides the four demo ones (a team's own subgraph, README.md "For subgraph
   * teams"): tokens are issued for them, the router's audience may hold their scopes. Set them
   * with `withAudiences`, which also lets the router exchange toward them. Default: none.
   */
  audiences?: AudienceDefinition[];
  /** The broker policy (the router's `broker.callers`): where services may exchange directly, read scopes only. */
  brokerCallers: BrokerCallers;
  /** Lifetime of a user access token from the authorization code flow. Default 3600 s. */
  userTokenTtlSeconds: number;
  /** Lifetime of an exchanged token, capped by the subject token's exp. Default 300 s. */
  exchangedTokenTtlSeconds: number;
  /** How many nested actors an exchanged token's `act` may hold. Default 4. */
  maxActDepth: number;
  /** Token endpoint rate limit per authenticated client: sustained rate and burst. Defaults 1000/s, 2000. */
  rateLimit: { perSecond: number; burst: number };
  /** Failed client authentications per source address, in their own bucket. Defaults 1/s, 20. */
  failureRateLimit: { perSecond: number; burst: number };
  /**
   * Where security events (CAEP session-revoked, token-claims-change) are pushed, each with its
   * audience (DEPUTY_SSF_RECEIVERS, `audience=url,...`). Default: none, nothing is sent.
   */
  ssfReceivers?: SsfReceiver[];
}

/** The environment variable that holds a client's secret, e.g. DEPUTY_CLIENT_SECRET_DEPUTY_ROUTER. */
export { clientSecretVariable } from '../lib/config/clientSecrets.js';
