import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { createRoutedServer } from '../../lib/http/createRoutedServer.js';
import { close } from '../../lib/http/listen.js';
import { consoleRoutes } from '../../router/console/serveConsole.js';
import { ensureConsoleBuilt } from './ensureConsoleBuilt.js';

// Hosts named in the bundle's text that the page never requests: the SVG namespace, and
// documentation links inside graphql-js's descriptions and error messages. The browser test
// records every request the page makes; this list only keeps a CDN from slipping into the text.
const TEXT_ONLY_HOSTS = ['www.w3.org', 'commonmark.org', 'en.wikipedia.org', 'yarnpkg.com'];
const hostsIn = (text: string) => [...text.matchAll(/https?:\/\/([^/\s"'`)\\]+)/g)].map((match) => match[1]);

describe('the console served by the router', () => {
  let stack: TestStack;
  let origin = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    stack = await startStack();
    origin = new URL(stack.router.url).origin;
  });
  afterAll(() => stack?.stop());

  it('answers GET / with the page, a strict content security policy and only same-origin asset paths', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(`connect-src 'self' ${stack.auth.issuer}`);
    const html = await response.text();
    expect(html).toContain('<title>Deputy console</title>');
    expect(hostsIn(html)).toEqual([]);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) expect(asset).toMatch(/^\/console\/assets\/[\w.-]+\.(js|css|svg)$/);
    expect(html).toMatch(/<link rel="icon" type="image\/svg\+xml" href="\/console\/assets\/favicon-[\w-]+\.svg"/);
  });

  it('serves every asset with its content type, cached for good, and names no outside host but in text', async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
    for (const [, path, extension] of html.matchAll(/(?:src|href)="(\/console\/assets\/[\w.-]+\.(js|css|svg))"/g)) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(types[extension]);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const text = await response.text();
      for (const host of hostsIn(text)) expect(TEXT_ONLY_HOSTS, `${path} names ${host}`).toContain(host);
      expect(text).not.toMatch(/cdn|unpkg|jsdelivr|googleapis/i);
    }
  });

  it('tells the console where to log in, and refuses methods other than GET and HEAD', async () => {
    const config = await (await fetch(`${origin}/console/config.json`)).json();
    expect(config).toEqual({
      issuer: stack.auth.issuer,
      clientId: 'web-app',
      resource: 'urn:deputy:router',
      scope: 'openid accounts:read products:read products:write inventory:read inventory:write reviews:read reviews:write trace:read',
    });
    const posted = await fetch(`${origin}/`, { method: 'POST', body: '{}' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves no console when console.enabled is false (GET / is then 404 NOT_FOUND)', async () => {
    const plain = await startStack({ auth: stack.auth, routerConfig: (config) => ({ ...config, console: { enabled: false } }) });
    try {
      const response = await fetch(new URL('/', plain.router.url));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      expect((await fetch(new URL('/console/config.json', plain.router.url))).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it('answers GET / with how to build the console when no build is there', async () => {
    const server = createRoutedServer(consoleRoutes(stack.auth.issuer, join(mkdtempSync(join(tmpdir(), 'deputy-console-')), 'none')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build:console');
    } finally {
      await close(server, 50);
    }
  });
});
