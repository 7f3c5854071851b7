import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';

/** What a token request gets back: the status and the body text. */
export interface TransportResponse {
  status: number;
  text: string;
}

/** Sends one form POST to the token endpoint; network failures reject with a TimeoutError or another Error. */
export type TokenTransport = (url: string, headers: Record<string, string>, body: URLSearchParams, timeoutMs: number) => Promise<TransportResponse>;

/** A token request that ran out of time (its name is what exchangeToken reads as `timeout`). */
class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Form POSTs over node:http(s) with kept-alive connections: fetch would build WHATWG streams, a
 * Request, a Response and an AbortSignal for every token request, a cost paid once per exchange
 * on the cold path. A redirect is never followed (no host the configuration does not name): it
 * rejects. `tls` adds the options of the HTTPS connections (a client certificate, a CA).
 */
export function httpTransport(tls: AgentOptions = {}): TokenTransport {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true, ...tls });
  return (url, headers, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') return reject(new Error(`unsupported protocol ${target.protocol}`));
      const text = body.toString();
      const options = { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) } };
      const onResponse = (response: IncomingMessage) => readResponse(response).then(resolve, reject);
      const request = secure ? httpsRequest(target, { ...options, agent: https }, onResponse) : httpRequest(target, { ...options, agent: http }, onResponse);
      // One timer for the whole round trip, headers and body.
      const timer = setTimeout(() => request.destroy(new TimeoutError('the token request timed out')), timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('error', reject);
      request.end(text);
    });
}

function readResponse(response: IncomingMessage): Promise<TransportResponse> {
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    response.resume();
    return Promise.reject(new Error(`redirect (HTTP ${status}) not followed`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
    response.on('error', reject);
  });
}

/** The usual transport: plain HTTP or HTTPS with the system's trusted CAs. */
export const defaultTransport: TokenTransport = httpTransport();

/** The certificate and key files of RFC 8705 mutual TLS, and the CA to trust for the server when it is not a public one. */
export interface MutualTlsFiles {
  certificateFile: string;
  keyFile: string;
  caFile?: string;
}

/** RFC 8705 tls_client_auth: every token request over a TLS connection that presents the router's certificate. */
export function mutualTlsTransport(files: MutualTlsFiles): TokenTransport {
  return httpTransport({
    cert: readFileSync(files.certificateFile),
    key: readFileSync(files.keyFile),
    ca: files.caFile ? readFileSync(files.caFile) : undefined,
  });
}
