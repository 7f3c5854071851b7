import type { IncomingMessage } from 'node:http';
import { RequestRefusedError } from './requestRefusedError.js';

/** Thrown when a request body cannot be read as the JSON a GraphQL endpoint expects. */
export class BadRequestBodyError extends RequestRefusedError {
  constructor(
    override readonly code: 'BODY_TOO_LARGE' | 'BAD_JSON',
    override readonly status: 413 | 400,
    message: string,
  ) {
    super(status, code, message);
  }
}

/** Reads the whole body, refusing it once it exceeds `limitBytes`, and parses it as JSON. */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      // Keep draining (no destroy) so the client reads the 413 instead of a reset connection.
      req.off('data', onData);
      req.resume();
      reject(new BadRequestBodyError('BODY_TOO_LARGE', 413, `Request body exceeds ${limitBytes} bytes`));
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      if (size > limitBytes) return;
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new BadRequestBodyError('BAD_JSON', 400, 'Request body is not valid JSON'));
      }
    });
  });
}
