import type { IncomingMessage } from 'node:http';
import { RefusalError } from '../errors/RefusalError.js';
import { ErrorCode } from '../errors/errorCodes.js';

/** The refusal of a request body that cannot be read as the JSON a GraphQL endpoint expects. */
function badBody(code: typeof ErrorCode.BODY_TOO_LARGE | typeof ErrorCode.BAD_JSON, message: string): RefusalError {
  return new RefusalError({ status: code === ErrorCode.BODY_TOO_LARGE ? 413 : 400, code, message, name: 'BadRequestBody' });
}

/**
 * Deepest nesting accepted in a JSON body. JSON.parse nests without limit, but what walks the
 * value afterwards recursively (JSON.stringify, validation, Apollo) overflows the stack a few
 * thousand levels down: a 600 KB `{"a":{"a":...` in `variables` was a 500. No real request nests
 * anywhere near this deep.
 */
export const MAX_JSON_DEPTH = 256;

/** Whether a JSON text nests deeper than `limit`, counted without recursion (brackets in strings ignored). */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}

/**
 * Reads the whole body as UTF-8, rejecting with `tooLarge()` once it exceeds `limitBytes` (by its
 * declared length, or while it streams), and with `unreadable(error)` when the client goes away.
 */
export function readBodyText(req: IncomingMessage, limitBytes: number, tooLarge: () => Error, unreadable: (error: Error) => Error = (error) => error): Promise<string> {
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
      // Keep draining (no destroy) so the client reads the 413 instead of a reset connection.
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('error', (error) => reject(unreadable(error)));
    req.once('end', () => {
      if (size <= limitBytes) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** Reads the whole body, refusing it once it exceeds `limitBytes`, and parses it as JSON (at most MAX_JSON_DEPTH deep). */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const text = await readBodyText(req, limitBytes, () => badBody(ErrorCode.BODY_TOO_LARGE, `Request body exceeds ${limitBytes} bytes`));
  if (text === '') return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw badBody(ErrorCode.BAD_JSON, `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw badBody(ErrorCode.BAD_JSON, 'Request body is not valid JSON');
  }
}
