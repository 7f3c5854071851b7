import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { RouteHandler } from '../../lib/http/createRoutedServer.js';
import { packagePath } from '../../lib/packagePath.js';
import { consoleSettingsFor } from './consoleSettings.js';
import { staticRoute } from './staticRoute.js';

/** Where `npm run build` writes the console's bundle, inside the package (not the working directory). */
export const CONSOLE_DIST = packagePath('dist', 'console');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

const NOT_BUILT =
  '<!doctype html><meta charset="utf-8"><title>Deputy console</title>' +
  '<p>The console is not built. Run <code>npm run build:console</code> and restart the router.</p>';

/** The page may load only its own bundle and talk only to this router and the issuer. */
function contentSecurityPolicy(issuer: string): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ${new URL(issuer).origin}`,
    "script-src 'self'",
    // CodeMirror injects its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The web console's routes, read from the build once at start-up: GET / (the page),
 * /console/assets/* (content-hashed, so cached for good) and /console/config.json.
 * Without a build, GET / answers 503 saying how to make one.
 */
export function consoleRoutes(issuer: string, dist = CONSOLE_DIST): Record<string, RouteHandler> {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return { '/': staticRoute(NOT_BUILT, CONTENT_TYPES['.html'], { 'cache-control': 'no-store' }, 503) };
  const routes: Record<string, RouteHandler> = {
    '/': staticRoute(readFileSync(index), CONTENT_TYPES['.html'], {
      'cache-control': 'no-cache',
      'content-security-policy': contentSecurityPolicy(issuer),
      'referrer-policy': 'no-referrer',
    }),
    '/console/config.json': staticRoute(JSON.stringify(consoleSettingsFor(issuer)), CONTENT_TYPES['.json'], { 'cache-control': 'no-cache' }),
  };
  const assets = join(dist, 'assets');
  for (const name of existsSync(assets) ? readdirSync(assets) : []) {
    const type = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
    routes[`/console/assets/${name}`] = staticRoute(readFileSync(join(assets, name)), type, { 'cache-control': 'public, max-age=31536000, immutable' });
  }
  return routes;
}
