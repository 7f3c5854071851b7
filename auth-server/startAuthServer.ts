import { createServer } from 'node:http';
import type Provider from 'oidc-provider';
import type { AuthServerConfig } from './config.js';
import { createProvider } from './createProvider.js';
import { handleInteraction } from './interactions/handleInteraction.js';
import { createTokenRateLimiter } from './rateLimitTokenEndpoint.js';
import { generateSigningJwks } from './signingKeys.js';
import { TOKEN_EXCHANGE_GRANT } from './demoIdentities.js';
import type { DirectExchangeEvent } from './tokenExchange/tokenExchangeGrant.js';
import { close, listen } from '../lib/http/listen.js';
import { answerClientErrors } from '../lib/http/answerClientErrors.js';

/** The authorization server listening over HTTP. */
export interface RunningAuthServer {
  issuer: string;
  port: number;
  /** Successful token exchanges since start, and how many of them were direct service exchanges (no broker). */
  stats: { exchanges: number; directExchanges: number };
  stop(): Promise<void>;
}

/**
 * RFC 6749 §5.2: a client not allowed a grant type gets `unauthorized_client`; oidc-provider
 * answers `invalid_request` for that case, so its answer is relabelled here.
 */
const GRANT_NOT_ALLOWED = 'requested grant type is not allowed for this client';

/** Hooks for the embedding process. */
export interface AuthServerHooks {
  /** Called with every token the token endpoint issues (the leak check's list of what to search for). */
  tokenIssued?: (token: string) => void;
  /** Called with every audit event: each direct service-to-service exchange, granted or refused. */
  audit?: (event: DirectExchangeEvent) => void;
}

/** Starts oidc-provider behind a small HTTP front: login interactions, token rate limit. */
export async function startAuthServer(config: AuthServerConfig, portHint?: string, hooks: AuthServerHooks = {}): Promise<RunningAuthServer> {
  const signingJwks = config.signingJwks ?? (await generateSigningJwks());
  const limiter = createTokenRateLimiter(config.rateLimit, config.failureRateLimit);
  const users = new Set(config.users);
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
      handleInteraction(provider, users, req, res).catch(() => {
        res.statusCode = 400;
        res.end('This sign-in attempt has expired or is invalid. Start again from the application.');
      });
      return;
    }
    if (path === '/token' && !limiter.admit(req, res)) return;
    callback(req, res);
  });
  // Requests Node's parser refuses (oversized headers, a broken request line) get a JSON 4xx, as at the router.
  answerClientErrors(server);
  const port = await listen(server, config.host, config.port, portHint);
  const issuer = config.issuer ?? `http://${config.host}:${port}`;
  const stats = { exchanges: 0, directExchanges: 0 };
  const provider = createProvider(
    { ...config, issuer, signingJwks },
    {
      directExchange: (event) => {
        if (event.decision === 'granted') stats.directExchanges += 1;
        hooks.audit?.(event);
      },
    },
  );
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.path === '/token') {
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
  ready.callback = provider.callback();
  ready.provider = provider;
  return { issuer, port, stats, stop: () => close(server) };
}
