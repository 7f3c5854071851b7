import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../errors/errorCodes.js';

/**
 * Answers requests Node's HTTP parser refuses (headers over the 16 KiB limit, e.g. a
 * megabyte of Authorization header; a malformed request line) with a JSON error and a
 * stable code instead of a bare status line, then closes the connection.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const [status, reason, code, message] = tooLarge
      ? [431, 'Request Header Fields Too Large', ErrorCode.HEADERS_TOO_LARGE, 'The request headers are too large']
      : [400, 'Bad Request', ErrorCode.BAD_REQUEST, 'The request could not be parsed'];
    const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
    // A response to HEAD has no body (RFC 9110 §9.3.2): a HEAD client would read one as a broken
    // next response. The method is read from the packet the parser refused (the request's first
    // bytes for a bad request line or oversized headers sent in one write).
    const head = (error as NodeJS.ErrnoException & { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${head ? '' : body}`,
    );
  });
}
