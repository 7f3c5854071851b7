import type { IncomingMessage } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL, ATTR_URL_PATH, ATTR_URL_SCHEME } from '@opentelemetry/semantic-conventions';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The semantic conventions' attributes of an HTTP client request. `url.full` keeps scheme,
 * host, port and path only: a query string or userinfo may carry a credential.
 */
export function httpClientAttributes(method: string, url: string): Attributes {
  const parsed = new URL(url);
  return {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_SERVER_ADDRESS]: parsed.hostname,
    [ATTR_SERVER_PORT]: parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol],
    [ATTR_URL_FULL]: `${parsed.origin}${parsed.pathname}`,
  };
}

/** The semantic conventions' attributes of an HTTP server request: method and path (never the query). */
export function httpServerAttributes(req: IncomingMessage): Attributes {
  return {
    [ATTR_HTTP_REQUEST_METHOD]: req.method ?? 'GET',
    [ATTR_URL_PATH]: new URL(req.url ?? '/', 'http://router').pathname,
    [ATTR_URL_SCHEME]: 'http',
  };
}
