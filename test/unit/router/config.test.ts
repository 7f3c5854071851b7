import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig, parseRouterConfig } from '../../../router/config/loadRouterConfig.js';

const minimal = { auth: { issuer: 'http://127.0.0.1:4010' }, exchange: { clientSecret: 's' } };

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'deputy-config-')), 'router.yaml');
  writeFileSync(path, text);
  return path;
}

describe('router configuration', () => {
  it('applies the documented defaults', () => {
    const config = parseRouterConfig(minimal, 'test');
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 4000, bodyLimitBytes: 1048576 });
    expect(config.auth).toMatchObject({ audience: 'deputy-router', clockToleranceSeconds: 5, allowAnonymous: false });
    expect(config.exchange).toMatchObject({ clientId: 'deputy-router', timeoutMs: 2000 });
    // No authMethod in the file: the profile's usual method applies (exchangeClientFor.authMethodFor).
    expect(config.exchange.authMethod).toBeUndefined();
    expect(config.exchange.cache).toEqual({ maxEntries: 10000, skewSeconds: 30, backend: 'memory' });
  });

  it('leaves telemetry off and metrics unprefixed by default, and refuses a sampling ratio outside 0..1', () => {
    const config = parseRouterConfig(minimal, 'test');
    expect(config.telemetry).toEqual({ serviceName: 'deputy-router', otlp: { headers: {} }, sampling: { ratio: 1 }, metrics: { otlp: { headers: {}, exportIntervalMs: 60000 } } });
    expect(config.metrics).toEqual({ maxOperationNames: 100, maxClientIds: 100 });
    expect(() => parseRouterConfig({ ...minimal, telemetry: { sampling: { ratio: 1.5 } } }, 'router.yaml')).toThrow(/telemetry\.sampling\.ratio/);
    expect(() => parseRouterConfig({ ...minimal, metrics: { prefix: 'my app_' } }, 'router.yaml')).toThrow(/metrics\.prefix/);
    expect(parseRouterConfig({ ...minimal, telemetry: { otlp: { headers: { 'x-api-key': '${KEY}' } } } }, 'test', { KEY: 'k' }).telemetry.otlp.headers).toEqual({ 'x-api-key': 'k' });
  });

  it('names the key path of an unknown key', () => {
    expect(() => parseRouterConfig({ ...minimal, subgraphs: { inventory: { scopez: ['x'] } } }, 'router.yaml')).toThrow(
      /router\.yaml: invalid configuration\n {2}subgraphs\.inventory: Unrecognized key: "scopez"/,
    );
  });

  it('names the key path of a value of the wrong type', () => {
    expect(() => parseRouterConfig({ ...minimal, subgraphs: { reviews: { timeoutMs: 'soon' } } }, 'router.yaml')).toThrow(/subgraphs\.reviews\.timeoutMs/);
    expect(() => parseRouterConfig({ exchange: { clientSecret: 's' } }, 'router.yaml')).toThrow(/auth: /);
  });

  it('requires a client secret for client_secret_basic and a key file for private_key_jwt', () => {
    expect(() => parseRouterConfig({ auth: minimal.auth }, 'router.yaml')).toThrow(/exchange\.clientSecret: clientSecret is required/);
    expect(() => parseRouterConfig({ auth: minimal.auth, exchange: { authMethod: 'private_key_jwt' } }, 'router.yaml')).toThrow(/exchange\.privateKeyFile/);
  });

  it('reads ${VAR} and ${VAR:-default} from the environment, and refuses an unset variable', () => {
    const path = file('listen:\n  port: ${PORT_X:-4100}\nauth:\n  issuer: ${ISSUER_X}\n  allowAnonymous: ${ANON_X:-false}\nexchange:\n  clientSecret: ${SECRET_X}\n');
    const config = loadRouterConfig(path, { ISSUER_X: 'http://127.0.0.1:9999', SECRET_X: 'from-env' });
    expect(config.listen.port).toBe(4100);
    expect(config.auth.allowAnonymous).toBe(false);
    expect(config.exchange.clientSecret).toBe('from-env');
    expect(() => loadRouterConfig(path, { ISSUER_X: 'http://127.0.0.1:9999' })).toThrow(/exchange\.clientSecret uses \$\{SECRET_X\}, which is not set/);
  });

  it('reports a missing file and invalid YAML clearly', () => {
    expect(() => loadRouterConfig('/nonexistent/router.yaml', {})).toThrow(/cannot read the configuration file/);
    expect(() => loadRouterConfig(file('auth: [unclosed'), {})).toThrow(/not valid YAML/);
  });

  it('accepts the shipped router/router.yaml with the npm start environment', () => {
    const config = loadRouterConfig('router/router.yaml', { DEPUTY_CLIENT_SECRET_DEPUTY_ROUTER: 'x' });
    expect(Object.keys(config.subgraphs)).toEqual(['accounts', 'products', 'inventory', 'reviews']);
    expect(config.subgraphs.inventory.url).toBeUndefined();
    expect(config.subgraphs.inventory.scopes).toEqual(['inventory:read', 'inventory:write']);
  });
});
