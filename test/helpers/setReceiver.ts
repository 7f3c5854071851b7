import { createServer } from 'node:http';
import type { RecordedRequest } from './recordingServer.js';

/** What the receiver answers to its n-th request (from 1). */
export type ReceiverAnswer = (count: number) => { status: number; body?: object };

/** A loopback push receiver of Security Event Tokens (RFC 8935) that records every request. */
export interface SetReceiver {
  url: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Starts a SET receiver on an ephemeral port at `/events`; it answers 202 Accepted unless `answer` says otherwise. */
export async function startSetReceiver(answer: ReceiverAnswer = () => ({ status: 202 })): Promise<SetReceiver> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '/', headers: req.headers, body });
      const { status, body: reply } = answer(requests.length);
      res.statusCode = status;
      if (reply) res.setHeader('content-type', 'application/json');
      res.end(reply ? JSON.stringify(reply) : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/events`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
