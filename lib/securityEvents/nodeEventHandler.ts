import type { IncomingMessage, ServerResponse } from 'node:http';
import { SecurityEventError } from './securityEventError.js';
import { readBodyText } from '../http/readBody.js';
import { receiveSecurityEvent, type SetReceiverOptions } from './receiveSecurityEvent.js';

/** Default bound of a pushed SET's body: a SET is a few KB. */
export const DEFAULT_SET_BODY_LIMIT = 64 * 1024;

/** Reads a request body as UTF-8, refusing it (413) once it exceeds `limitBytes`. */
export function readBoundedBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  return readBodyText(
    req,
    limitBytes,
    () => new SecurityEventError('invalid_request', `the body exceeds ${limitBytes} bytes`, 413),
    // A transmitter that went away mid-body: nothing to answer, and nothing wrong with the router.
    () => new SecurityEventError('invalid_request', 'the body could not be read'),
  );
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
