import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAuthConfig, generateClientSecrets } from '../../../auth-server/loadConfig.js';
import { confidentialClientIds } from '../../../auth-server/demoIdentities.js';
import { parseExtraAudiences } from '../../../auth-server/withAudiences.js';

// DEPUTY_EXTRA_AUDIENCES (README.md "For subgraph teams"): a team's subgraph audiences for the
// embedded authorization server; unset, the configuration is exactly as before.

const env = (extra: Record<string, string> = {}) => ({ ...generateClientSecrets(confidentialClientIds(parseExtraAudiences(extra.DEPUTY_EXTRA_AUDIENCES))), ...extra });

describe('DEPUTY_EXTRA_AUDIENCES', () => {
  it('reads <name>=<scope>,<scope> entries, each with its resource indicator', () => {
    expect(parseExtraAudiences(' shipping=shipping:read,shipping:write  wishlists=wishlists:read ')).toEqual([
      { audience: 'shipping', resources: ['urn:deputy:subgraph:shipping'], scopes: ['shipping:read', 'shipping:write'] },
      { audience: 'wishlists', resources: ['urn:deputy:subgraph:wishlists'], scopes: ['wishlists:read'] },
    ]);
    expect(parseExtraAudiences(undefined)).toEqual([]);
    expect(() => parseExtraAudiences('shipping')).toThrow(/DEPUTY_EXTRA_AUDIENCES: "shipping"/);
  });

  it("adds the audiences, the router's exchange targets and client credentials, and every demo user the read scopes", () => {
    const config = loadAuthConfig(env({ DEPUTY_EXTRA_AUDIENCES: 'shipping=shipping:read,shipping:write' }));
    expect(config.audiences?.map((definition) => definition.audience)).toEqual(['shipping']);
    const router = config.clients.find((client) => client.clientId === 'deputy-router');
    expect(router?.exchange?.targets.shipping).toEqual(['shipping:read', 'shipping:write']);
    // The router reads the subgraph's SDL with its own token (no scope: the server grants it none).
    expect(router?.tokenAudiences).toEqual(['accounts', 'products', 'inventory', 'reviews', 'shipping']);
    expect(router?.grantTypes).toContain('client_credentials');
    expect(config.entitlements.alice).toContain('shipping:read');
    expect(config.entitlements.alice).not.toContain('shipping:write');
  });

  it('gives each extra subgraph a service client, with a secret npm start generates, that may exchange directly only where the broker policy lets it, read scopes only', () => {
    const extra = parseExtraAudiences('shipping=shipping:read,shipping:write');
    expect(confidentialClientIds(extra)).toContain('shipping-service');
    const policy = join(mkdtempSync(join(tmpdir(), 'deputy-policy-')), 'router.yaml');
    writeFileSync(policy, 'broker:\n  callers:\n    shipping-service:\n      subgraph: shipping\n      targets:\n        reviews: [reviews:read, reviews:write]\n');
    const config = loadAuthConfig({ ...generateClientSecrets(confidentialClientIds(extra)), DEPUTY_EXTRA_AUDIENCES: 'shipping=shipping:read,shipping:write', DEPUTY_BROKER_POLICY: policy });
    expect(config.clients.find((client) => client.clientId === 'shipping-service')).toMatchObject({ ownAudience: 'shipping', exchange: { subjectAudience: 'shipping', targets: { reviews: ['reviews:read'] } } });
    // Its secret is required like every confidential client's.
    expect(() => loadAuthConfig({ ...env(), DEPUTY_EXTRA_AUDIENCES: 'shipping=shipping:read' })).toThrow(/DEPUTY_CLIENT_SECRET_SHIPPING_SERVICE is not set/);
  });

  it('changes nothing when unset', () => {
    const config = loadAuthConfig(env());
    expect(config.audiences).toBeUndefined();
    const router = config.clients.find((client) => client.clientId === 'deputy-router');
    expect(Object.keys(router?.exchange?.targets ?? {})).toEqual(['accounts', 'products', 'inventory', 'reviews']);
    expect(router?.tokenAudiences).toEqual(['accounts', 'products', 'inventory', 'reviews']);
  });
});
