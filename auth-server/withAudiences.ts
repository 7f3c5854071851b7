import type { AudienceDefinition } from './audiences.js';
import type { AuthServerConfig } from './config.js';
import { ROUTER_AUDIENCE } from './audiences.js';
import { own } from '../lib/own.js';

/**
 * The configuration with subgraph audiences besides the demo ones (README.md, "For subgraph
 * teams"): tokens are issued for them, the router may exchange user tokens toward them with their
 * scopes and get client credentials for them (no scope: to read their SDL), and `entitlements`
 * (user -> scopes) lets users delegate some of those scopes. Nothing
 * else changes: with no audiences the configuration is the same.
 */
export function withAudiences(config: AuthServerConfig, audiences: AudienceDefinition[], entitlements: Record<string, string[]> = {}): AuthServerConfig {
  const targets = Object.fromEntries(audiences.map((definition) => [definition.audience, definition.scopes]));
  return {
    ...config,
    audiences: [...(config.audiences ?? []), ...audiences],
    clients: config.clients.map((client) =>
      client.clientId === ROUTER_AUDIENCE && client.exchange
        ? {
            ...client,
            exchange: { ...client.exchange, targets: { ...client.exchange.targets, ...targets } },
            tokenAudiences: [...client.tokenAudiences, ...audiences.map((definition) => definition.audience)],
          }
        : client,
    ),
    entitlements: Object.fromEntries(
      [...new Set([...Object.keys(config.entitlements), ...Object.keys(entitlements)])].map((user) => [user, [...(own(config.entitlements, user) ?? []), ...(own(entitlements, user) ?? [])]]),
    ),
  };
}

/**
 * DEPUTY_EXTRA_AUDIENCES: space-separated `<name>=<scope>,<scope>` entries, e.g.
 * `shipping=shipping:read wishlists=wishlists:read`; each audience's resource indicator is
 * `urn:deputy:subgraph:<name>`. Empty or unset: none.
 */
export function parseExtraAudiences(text: string | undefined): AudienceDefinition[] {
  return (text ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((entry) => {
      const match = /^([a-z][a-z0-9-]*)=([^=\s]+)$/.exec(entry);
      if (!match) throw new Error(`DEPUTY_EXTRA_AUDIENCES: "${entry}" is not <name>=<scope>,<scope>`);
      return { audience: match[1], resources: [`urn:deputy:subgraph:${match[1]}`], scopes: match[2].split(',').filter(Boolean) };
    });
}
