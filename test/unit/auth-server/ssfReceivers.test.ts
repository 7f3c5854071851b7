import { describe, expect, it } from 'vitest';
import { generateClientSecrets, loadAuthConfig } from '../../../auth-server/loadConfig.js';
import { confidentialClientIds } from '../../../auth-server/demoIdentities.js';
import { parseReceivers } from '../../../auth-server/securityEvents/receivers.js';

// DEPUTY_SSF_RECEIVERS (README.md "The authorization server"): where security events are pushed.

describe('DEPUTY_SSF_RECEIVERS', () => {
  it('reads comma-separated audience=url entries, trimming blanks; unset or empty is no receiver', () => {
    expect(parseReceivers(' deputy-router=http://127.0.0.1:4000/events , products=https://products.example/events,')).toEqual([
      { audience: 'deputy-router', url: 'http://127.0.0.1:4000/events' },
      { audience: 'products', url: 'https://products.example/events' },
    ]);
    expect(parseReceivers(undefined)).toEqual([]);
    expect(parseReceivers('')).toEqual([]);
  });

  it('lets one audience have several URLs (instances of one router)', () => {
    expect(parseReceivers('deputy-router=http://a/events,deputy-router=http://b/events')).toHaveLength(2);
  });

  it.each([
    ['no equals sign', 'deputy-router', /entry 1 must be audience=url/],
    ['no audience', '=http://127.0.0.1/events', /entry 1 must be audience=url/],
    ['no URL', 'products=', /entry 1 \(products\) has no valid URL/],
    ['another scheme', 'products=ftp://127.0.0.1/events', /must be an http or https URL/],
    ['credentials in the URL, never echoed', 'products=http://user:hunter2@127.0.0.1/events', /may not carry credentials/],
    ['the same receiver twice', 'products=http://a/events,products=http://a/events', /listed twice/],
  ])('fails start-up for %s, naming the entry', (_what, raw, message) => {
    expect(() => parseReceivers(raw)).toThrow(message);
    try {
      parseReceivers(raw);
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('is parsed into the configuration once at start-up, default none', () => {
    const env = generateClientSecrets(confidentialClientIds());
    expect(loadAuthConfig(env).ssfReceivers).toEqual([]);
    expect(loadAuthConfig({ ...env, DEPUTY_SSF_RECEIVERS: 'reviews=http://127.0.0.1:4014/events' }).ssfReceivers).toEqual([{ audience: 'reviews', url: 'http://127.0.0.1:4014/events' }]);
    expect(() => loadAuthConfig({ ...env, DEPUTY_SSF_RECEIVERS: 'reviews' })).toThrow(/DEPUTY_SSF_RECEIVERS/);
  });
});
