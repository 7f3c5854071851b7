import { readFileSync } from 'node:fs';
import { httpPost, keepAliveAgents, type HttpAgents } from '../../lib/http/httpPost.js';

/** What a token request gets back: the status and the body text. */
export interface TransportResponse {
  status: number;
  text: string;
}

/** Sends one form POST to the token endpoint; network failures reject with a TimeoutError or another Error. */
export type TokenTransport = (url: string, headers: Record<string, string>, body: URLSearchParams, timeoutMs: number) => Promise<TransportResponse>;

/** Largest token endpoint answer read: a token response is a few KB. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Token requests over node:http(s) (httpPost) with kept-alive connections: no fetch machinery
 * per exchange on the cold path. A redirect is never followed (no host the configuration does
 * not name): it rejects.
 */
export function httpTransport(agents: HttpAgents = keepAliveAgents()): TokenTransport {
  return async (url, headers, body, timeoutMs) => {
    const answer = await httpPost(url, { headers, body: body.toString(), timeoutMs, maxBytes: MAX_ANSWER_BYTES }, agents);
    if (answer.status >= 300 && answer.status < 400) throw new Error(`redirect (HTTP ${answer.status}) not followed`);
    return { status: answer.status, text: answer.body };
  };
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
  return httpTransport(
    keepAliveAgents({
      cert: readFileSync(files.certificateFile),
      key: readFileSync(files.keyFile),
      ca: files.caFile ? readFileSync(files.caFile) : undefined,
    }),
  );
}
