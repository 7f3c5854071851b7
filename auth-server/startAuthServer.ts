import { createServer } from 'node:http';
import type Provider from 'oidc-provider';
import type { AuthServerConfig } from './config.js';
import { createProvider, SESSION_TTL_SECONDS } from './createProvider.js';
import { handleInteraction } from './interactions/handleInteraction.js';
import { createTokenRateLimiter } from './rateLimitTokenEndpoint.js';
import { generateSigningJwks } from './signingKeys.js';
import { TOKEN_EXCHANGE_GRANT } from './demoIdentities.js';
import type { AuthAuditEvent } from './auditEvents.js';
import { createTransmitter } from './securityEvents/createTransmitter.js';
import { RevocationList } from './revocation/revocationList.js';
import { enableRevocation } from './revocation/enableRevocation.js';
import { changeEntitlements } from './revocation/changeEntitlements.js';
import { routerAudienceDefinition, subgraphAudiences } from './audiences.js';
import { close, listen } from '../lib/http/listen.js';
import { answerClientErrors } from '../lib/http/answerClientErrors.js';

/** The authorization server listening over HTTP. */
export interface RunningAuthServer {
  issuer: string;
  port: number;
  /** Successful token exchanges since start, and how many of them were direct service exchanges (no broker). */
  stats: { exchanges: number; directExchanges: number };
  /**
   * The demo admin trigger of CAEP token-claims-change: `user` may be granted `scopes` from now on
   * (revocation/changeEntitlements.ts). Throws for an unknown user or scope; returns the event's `txn`.
   */
  changeEntitlements(user: string, scopes: string[]): string;
  stop(): Promise<void>;
}

/**
 * RFC 6749 §5.2: a client not allowed a grant type gets `unauthorized_client`; oidc-provider
 * answers `invalid_request` for that case, so its answer is relabelled here.
 */
const GRANT_NOT_ALLOWED = 'requested grant type is not allowed for this client';

/** The endpoints that authenticate clients, so their failures are charged to the same buckets (no guessing secrets at one while the other is limited). */
const LIMITED_PATHS = new Set(['/token', '/token/revocation']);

/** Hooks for the embedding process. */
export interface AuthServerHooks {
  /** Called with every token the token endpoint issues (the leak check's list of what to search for). */
  tokenIssued?: (token: string) => void;
  /**
   * Called with every audit event: each direct service-to-service exchange, granted or refused;
   * each revocation, logout and claims change; each security event delivery's outcome.
   */
  audit?: (event: AuthAuditEvent) => void;
}

/** Starts oidc-provider behind a small HTTP front: login interactions, token rate limit. */
export async function startAuthServer(config: AuthServerConfig, portHint?: string, hooks: AuthServerHooks = {}): Promise<RunningAuthServer> {
  const signingJwks = config.signingJwks ?? (await generateSigningJwks());
  const limiter = createTokenRateLimiter(config.rateLimit, config.failureRateLimit);
  const users = new Set(config.users);
  // The live entitlements: a copy, so a change (changeEntitlements) stays with this server.
  const entitlements = { ...config.entitlements };
  // The issuer can name the bound port only once listening (port 0 in tests), so the provider
  // is built right after listen; nothing is served before that.
  const ready: { provider?: Provider; callback?: ReturnType<Provider['callback']> } = {};
  const server = createServer((req, res) => {
    const { provider, callback } = ready;
    if (!provider || !callback) {
      res.statusCode = 503;
      res.end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path.startsWith('/interaction/')) {
      handleInteraction(provider, { users, entitlements }, req, res).catch(() => {
        res.statusCode = 400;
        res.end('This sign-in attempt has expired or is invalid. Start again from the application.');
      });
      return;
    }
    if (LIMITED_PATHS.has(path) && !limiter.admit(req, res)) return;
    callback(req, res);
  });
  // Requests Node's parser refuses (oversized headers, a broken request line) get a JSON 4xx, as at the router.
  answerClientErrors(server);
  const port = await listen(server, config.host, config.port, portHint);
  const issuer = config.issuer ?? `http://${config.host}:${port}`;
  const stats = { exchanges: 0, directExchanges: 0 };
  const audit = (event: AuthAuditEvent) => hooks.audit?.(event);
  const transmitter = createTransmitter({ issuer, signingJwks, receivers: config.ssfReceivers ?? [], audit });
  // A token's sid or subject stays revoked as long as a user token can live (exchanged ones live less).
  const revocations = new RevocationList(config.userTokenTtlSeconds);
  const provider = createProvider(
    { ...config, issuer, signingJwks, entitlements },
    {
      directExchange: (event) => {
        if (event.decision === 'granted') stats.directExchanges += 1;
        audit(event);
      },
      revocations,
    },
  );
  const revocationDeps = { issuer, revocations, transmitter, audit };
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (LIMITED_PATHS.has(ctx.path)) {
      const client = ctx.oidc?.client;
      limiter.settle(ctx.req, { client: client?.clientId, publicClient: client?.clientAuthMethod === 'none', failedAuthentication: body?.error === 'invalid_client' });
    }
    if (ctx.path === '/token' && body?.error === 'invalid_request' && body.error_description === GRANT_NOT_ALLOWED) {
      body.error = 'unauthorized_client';
    }
  });
  provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params?.grant_type === TOKEN_EXCHANGE_GRANT) stats.exchanges += 1;
    const issued = ctx.body as Record<string, unknown> | undefined;
    for (const kind of ['access_token', 'id_token', 'refresh_token']) {
      if (typeof issued?.[kind] === 'string') hooks.tokenIssued?.(issued[kind]);
    }
  });
  enableRevocation(provider, { ...revocationDeps, signingJwks, sessionTtlSeconds: SESSION_TTL_SECONDS });
  const userScopes = routerAudienceDefinition(subgraphAudiences(config.audiences)).scopes;
  ready.callback = provider.callback();
  ready.provider = provider;
  return {
    issuer,
    port,
    stats,
    changeEntitlements: (user, scopes) => changeEntitlements(revocationDeps, { entitlements, users, userScopes }, user, scopes),
    stop: () => {
      transmitter.close();
      return close(server);
    },
  };
}
