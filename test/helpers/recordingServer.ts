import { createServer, type IncomingHttpHeaders } from 'node:http';

/** One request a recording server received. */
export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server that records every request body and answers `{}` (a stand-in collector). */
export interface RecordingServer {
  url: string;
  bodies: string[];
  /** The same requests with their path and headers. */
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Starts a recording server on an ephemeral port; `path` is appended to its URL. */
export async function startRecordingServer(path = '/'): Promise<RecordingServer> {
  const bodies: string[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      requests.push({ path: req.url ?? '/', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`,
    bodies,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
