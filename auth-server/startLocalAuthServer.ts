import { generateClientSecrets, loadAuthConfig } from './loadConfig.js';
import { startAuthServer, type AuthServerHooks, type RunningAuthServer } from './startAuthServer.js';
import { generateSigningJwks } from './signingKeys.js';
import { confidentialClientIds } from './demoIdentities.js';
import { clientSecretVariable, type AuthServerConfig } from './config.js';

// The authorization server embedded in another process (the tests, the benchmark): an
// ephemeral port, client secrets and a signing key generated for this run only.

/** An embedded authorization server and the run-time secrets it was started with. */
export interface LocalAuthServer {
  /** The server now running (a new one after `restart`). */
  readonly server: RunningAuthServer;
  /** The configuration it runs with; `restart` picks up changes made to it (e.g. new signing keys). */
  config: AuthServerConfig & Required<Pick<AuthServerConfig, 'signingJwks'>>;
  issuer: string;
  /** The environment of the run: the generated client secrets and DEPUTY_ISSUER. */
  env: NodeJS.ProcessEnv;
  /** Every confidential client's id. */
  clientIds: string[];
  secret(clientId: string): string;
  /** Successful exchanges so far, across restarts. */
  exchanges(): number;
  /** Starts the server again on the same port and issuer (after a stop: an outage ends). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** What to change in the default configuration: a part of it, or a function of the defaults. */
export type AuthOverrides = Partial<AuthServerConfig> | ((defaults: AuthServerConfig) => Partial<AuthServerConfig>);

/** Starts the authorization server in this process on an ephemeral port with secrets generated for the run. */
export async function startLocalAuthServer(overrides: AuthOverrides = {}, hooks: AuthServerHooks = {}): Promise<LocalAuthServer> {
  const clientIds = confidentialClientIds();
  const env: NodeJS.ProcessEnv = { ...process.env, DEPUTY_AUTH_PORT: '0', ...generateClientSecrets(clientIds) };
  const defaults = loadAuthConfig(env);
  const changes = typeof overrides === 'function' ? overrides(defaults) : overrides;
  const config = { ...defaults, ...changes, signingJwks: changes.signingJwks ?? (await generateSigningJwks()) };
  let server = await startAuthServer(config, undefined, hooks);
  const issuer = server.issuer;
  let earlierExchanges = 0;
  return {
    get server() {
      return server;
    },
    config,
    issuer,
    env: { ...env, DEPUTY_ISSUER: issuer },
    clientIds,
    secret: (clientId) => env[clientSecretVariable(clientId)] ?? '',
    exchanges: () => earlierExchanges + server.stats.exchanges,
    async restart() {
      earlierExchanges += server.stats.exchanges;
      server = await startAuthServer({ ...config, port: server.port, issuer }, undefined, hooks);
    },
    stop: () => server.stop(),
  };
}
