import type { IncomingMessage, ServerResponse } from 'node:http';
import { SecurityEventError } from './securityEventError.js';
import { receiveSecurityEvent, type SetReceiverOptions } from './receiveSecurityEvent.js';

/** Default bound of a pushed SET's body: a SET is a few KB. */
export const DEFAULT_SET_BODY_LIMIT = 64 * 1024;

/** Reads a request body as UTF-8, refusing it (413) once it exceeds `limitBytes`. */
export function readBoundedBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const tooLarge = () => new SecurityEventError('invalid_request', `the body exceeds ${limitBytes} bytes`, 413);
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      // Keep draining (no destroy) so that the transmitter reads the 413 rather than a reset.
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    // A transmitter that went away mid-body: nothing to answer, and nothing wrong with the router.
    req.once('error', () => reject(new SecurityEventError('invalid_request', 'the body could not be read')));
    req.once('end', () => {
      if (size <= limitBytes) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The SET receiver (receiveSecurityEvent) as a Node.js HTTP handler: node:http, Express, or a router's route. */
export function nodeEventHandler(options: SetReceiverOptions & { maxBodyBytes?: number }): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? DEFAULT_SET_BODY_LIMIT;
  return async (req, res) => {
    const answer = await receiveSecurityEvent({ method: req.method ?? 'GET', contentType: req.headers['content-type'], readBody: () => readBoundedBody(req, limit) }, options);
    if (answer.status === 413) res.setHeader('connection', 'close');
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };
}
