import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';

/** What a token request gets back: the status and the body text. */
export interface TransportResponse {
  status: number;
  text: string;
}

/** Sends one form POST to the token endpoint; network failures reject with a TimeoutError or another Error. */
export type TokenTransport = (url: string, headers: Record<string, string>, body: URLSearchParams, timeoutMs: number) => Promise<TransportResponse>;

/** The usual transport: fetch. */
export const fetchTransport: TokenTransport = async (url, headers, body, timeoutMs) => {
  // A token endpoint's redirect is never followed (no host the configuration does not name).
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, text: await response.text() };
};

/** The certificate and key files of RFC 8705 mutual TLS, and the CA to trust for the server when it is not a public one. */
export interface MutualTlsFiles {
  certificateFile: string;
  keyFile: string;
  caFile?: string;
}

/**
 * RFC 8705 tls_client_auth: every token request over a TLS connection that presents the
 * router's certificate. fetch cannot take a client certificate, so this one uses node:https,
 * with its connections kept alive like fetch's.
 */
export function mutualTlsTransport(files: MutualTlsFiles): TokenTransport {
  const agent = new Agent({
    keepAlive: true,
    cert: readFileSync(files.certificateFile),
    key: readFileSync(files.keyFile),
    ca: files.caFile ? readFileSync(files.caFile) : undefined,
  });
  return (url, headers, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const request = httpsRequest(url, { method: 'POST', headers, agent, signal: AbortSignal.timeout(timeoutMs) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body.toString());
    });
}
